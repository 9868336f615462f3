/**
 * Drives the progress view: on a terminal, the block is redrawn in place (ANSI: cursor up, clear to
 * the end of the screen) every second; elsewhere (CI, a pipe) one plain line every few seconds, so a
 * log stays readable. The figures are read fresh for every frame.
 */
import type { Writable } from 'node:stream';
import { progressBlock, progressLine, type ProgressFigures } from './progress-view';

export interface ProgressDisplay {
  /** Draws the last frame and stops redrawing. */
  stop(): Promise<void>;
}

export interface ProgressDisplayOptions {
  figures: () => Promise<ProgressFigures>;
  out: Writable & { isTTY?: boolean };
  redrawMs?: number;
  lineEveryMs?: number;
}

export function startProgressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const tty = options.out.isTTY === true;
  let drawnLines = 0;
  let stopped = false;
  let frame: Promise<void> = Promise.resolve();

  const draw = async (): Promise<void> => {
    let figures: ProgressFigures;
    try {
      figures = await options.figures();
    } catch {
      // Visibility can be briefly unavailable (server busy): keep the last frame on screen.
      return;
    }
    if (!tty) {
      options.out.write(`${progressLine(figures)}\n`);
      return;
    }
    const columns = (options.out as { columns?: number }).columns ?? 100;
    // Lines wider than the terminal would wrap and break the cursor arithmetic: fit, then cut what still does not.
    const fitted = progressBlock(figures, columns - 1).map((line) => (line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line));
    const rewind = drawnLines ? `\x1b[${drawnLines}F\x1b[J` : '';
    options.out.write(`${rewind}${fitted.join('\n')}\n`);
    drawnLines = fitted.length;
  };

  const tick = () => {
    if (stopped) return;
    frame = frame.then(draw);
  };
  const timer = setInterval(tick, tty ? (options.redrawMs ?? 1_000) : (options.lineEveryMs ?? 5_000));
  tick();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await frame;
      frame = draw();
      await frame;
    },
  };
}
