/**
 * Starts worker-child.ts as a child process (Node with the tsx loader, as npm scripts run it, and the
 * image's memory settings) and gives the parent its pid, its memory, a graceful stop and a SIGKILL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_PROCESS_ENV } from '../../worker/heap-tuning';
import { WORKER_SPEC_ENV, type ParentMessage, type WorkerMessage, type WorkerSpec } from './worker-spec';

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

export interface WorkerProcess {
  pid: number;
  /** Resolves once the child's workers are running (with its ingress's URL when it serves one); rejects if it exits first. */
  ready: Promise<{ ingressUrl?: string }>;
  exited: Promise<number | null>;
  /** Its memory, main-thread delay, workflow cache and call budgets, as it reports them. */
  memory(): Promise<Omit<Extract<WorkerMessage, { type: 'memory' }>, 'type'>>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChildWorkerOptions {
  /**
   * Niceness of the whole process (every thread it starts inherits it): a worker that yields the CPU
   * to the server and to the processes left at 0, as CPU shares or requests do where the server runs on
   * machines of its own.
   */
  nice?: number;
}

export function startWorkerProcess(spec: WorkerSpec, options: ChildWorkerOptions = {}): WorkerProcess {
  return startChildWorker(CHILD, spec, options);
}

/** Starts `script` (a worker child speaking WorkerMessage / ParentMessage) with `spec` in its environment. */
export function startChildWorker(script: string, spec: unknown, options: ChildWorkerOptions = {}): WorkerProcess {
  const nodeArgs = ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [])];
  const nice = options.nice ?? 0;
  const child: ChildProcess = fork(script, [], {
    // BENCH_CPU_PROF_DIR=dir profiles each worker process (and its workflow threads) into dir
    // (Node refuses --cpu-prof in NODE_OPTIONS). Under `nice`, Node is exec'd by it with the IPC
    // channel's descriptor kept, before it starts a thread.
    ...(nice ? { execPath: 'nice', execArgv: ['-n', String(nice), process.execPath, ...nodeArgs] } : { execArgv: nodeArgs }),
    // The memory settings the image starts its worker with (Dockerfile), so the figures are the product's.
    env: {
      ...process.env,
      ...WORKER_PROCESS_ENV,
      NODE_OPTIONS: [process.env.NODE_OPTIONS, WORKER_PROCESS_ENV.NODE_OPTIONS].filter(Boolean).join(' '),
      [WORKER_SPEC_ENV]: JSON.stringify(spec),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ ingressUrl?: string }>((resolve, reject) => {
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve(message.ingressUrl ? { ingressUrl: message.ingressUrl } : {});
    });
    void exited.then((code) => reject(new Error(`worker process exited (code ${code}) before it was ready`)));
  });
  // A worker killed later is no failure of `ready`.
  ready.catch(() => undefined);
  const send = (message: ParentMessage): void => void child.send(message);
  return {
    pid: child.pid ?? -1,
    ready,
    exited,
    memory: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('worker process did not report its memory within 10 s')), 10_000);
        const onMessage = (message: WorkerMessage): void => {
          if (message.type !== 'memory') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          const { type: _type, ...report } = message;
          resolve(report);
        };
        child.on('message', onMessage);
        send({ type: 'memory' });
      }),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ type: 'stop' });
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
