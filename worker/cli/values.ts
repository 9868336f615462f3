/**
 * Typed option values for the CLI: each parser turns the text after a flag into the value the
 * command's logic takes, or throws commander's InvalidArgumentError, which commander reports as one
 * line naming the option (exit 2 through the error boundary).
 */
import { InvalidArgumentError } from '@commander-js/extra-typings';

function whole(value: string, min: number, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be ${what}`);
  return n;
}

export const positiveInteger = (value: string): number => whole(value, 1, 'a positive whole number');
export const nonNegativeInteger = (value: string): number => whole(value, 0, 'a whole number, 0 or more');

/** A TCP port to listen on; 0 asks the system for a free one. */
export function listenPort(value: string): number {
  const n = whole(value, 0, 'a port number 0-65535 (0: any free port)');
  if (n > 65535) throw new InvalidArgumentError('must be a port number 0-65535 (0: any free port)');
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number, 0 or more');
  return n;
}

export function httpUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new InvalidArgumentError('must be an http(s) URL');
  return value;
}

/** Wraps a validating function whose errors are plain Errors (zod, RangeError) as a parser. */
export function validated<T>(check: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return check(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message.replace(/\s*\n\s*/g, '; ') : String(err));
    }
  };
}
