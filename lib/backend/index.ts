/**
 * Backend lookup by name. Each backend module is loaded on first use, so the JS backend works
 * where the native addon cannot load.
 */
import type { Backend } from './backend';
import { checkChoice } from '../validate';

export type BackendName = 'native' | 'js';

/**
 * Returns the named backend.
 *
 * @throws RangeError for an unknown name; Error when the native addon cannot load (the message
 *   says how to fix it and mentions the JS backend)
 */
export function getBackend(name: BackendName = 'native'): Backend {
  checkChoice('backend', name, ['native', 'js'] as const);
  if (name === 'js') {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return (require('./js') as { jsBackend: Backend }).jsBackend;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('./native') as { nativeBackend: Backend }).nativeBackend;
}

export * from './backend';
