/** Ports for a bridge a test starts as a child process. */
import { createServer } from 'node:net';

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((r) => {
    const probe = createServer();
    probe.once('error', () => r(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => r(true)));
  });
}

/**
 * A free port below the kernel's ephemeral range (32768 and up here), with `also` more free after it.
 * The child binds it seconds later (after loading and bundling); a port from `freePort` lies in the
 * ephemeral range, where this run's own outgoing connections can take it meanwhile ("port … is
 * already in use", seen once in CI).
 */
export async function quietPort(also = 0): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: also + 1 }, (_, i) => portFree(port + i)));
    if (free.every(Boolean)) return port;
  }
}
