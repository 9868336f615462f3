/**
 * A one-line terminal progress bar for long reconciliations, redrawn in place on a TTY and printed
 * as occasional plain lines otherwise (CI logs, pipes).
 */
import type { ReconcileProgress } from '../../api/reconcile';

const WIDTH = 30;

export function progressLine(progress: ReconcileProgress): string {
  const { hubspot, salesforce } = progress;
  const read = hubspot.read + salesforce.read;
  const total = Math.max(read, hubspot.total + salesforce.total);
  const pagingDone = progress.phase !== 'hubspot' && progress.phase !== 'salesforce';
  const fraction = pagingDone ? 1 : total === 0 ? 0 : read / total;
  const filled = Math.round(fraction * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  HubSpot ${hubspot.read}/${hubspot.total}  Salesforce ${salesforce.read}/${salesforce.total}  ${progress.phase}`;
}

export interface ProgressBar {
  update(progress: ReconcileProgress): void;
  finish(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  let lastPhase = '';
  let last = '';
  return {
    update(progress) {
      const line = progressLine(progress);
      if (line === last) return;
      last = line;
      if (stream.isTTY) stream.write(`\r${line.padEnd(stream.columns ? Math.min(stream.columns - 1, 140) : 0)}`);
      else if (progress.phase !== lastPhase) stream.write(`${line}\n`);
      lastPhase = progress.phase;
    },
    finish() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}

export interface StatusLine {
  update: (line: string) => void;
  finish: () => void;
}

/**
 * Progress of long work told as lines (provisioning's "downloading …", "verifying …"): on a TTY one
 * line redrawn in place, elsewhere every line kept, so logs show each step.
 */
export function createStatusLine(stream: NodeJS.WriteStream = process.stderr): StatusLine {
  let shown = false;
  return {
    update(line) {
      if (!stream.isTTY) {
        stream.write(`${line}\n`);
        return;
      }
      const width = stream.columns ? stream.columns - 1 : 100;
      stream.write(`\r${line.slice(0, width).padEnd(width)}`);
      shown = true;
    },
    finish() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}
