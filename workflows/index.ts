/** Every workflow the worker registers. */
export { canary } from './canary';
