/**
 * File-system faults for tests: makes the writes, the flush or the rename of the files whose
 * names match fail, as a full disk, a failing disk or a read-only folder would, through the
 * same fs functions the library calls (async FileHandle methods and their sync twins).
 */
import fs = require('fs'); // the module itself, whose functions the library calls
import * as path from 'path';

/** Which step fails. */
export type FaultStep = 'write' | 'datasync' | 'rename';

/** A fault: the step, which files (by the target's base name), and after how many bytes. */
export interface Fault {
  step: FaultStep;
  /** The base name of the file being replaced: 'model.safetensors', 'report.html'. */
  target: string;
  /** write: the bytes that reach the temporary file before the failure (default 10). */
  afterBytes?: number;
}

/** What injected faults did. */
export interface FaultLog {
  /** Failures raised, as 'write model.safetensors'. */
  raised: string[];
}

const ERRORS: Record<FaultStep, { code: string; message: string }> = {
  write: { code: 'ENOSPC', message: 'ENOSPC: no space left on device, write' },
  datasync: { code: 'EIO', message: 'EIO: i/o error, fdatasync' },
  rename: { code: 'EACCES', message: 'EACCES: permission denied, rename' },
};

function fsError(step: FaultStep): Error {
  const { code, message } = ERRORS[step];
  return Object.assign(new Error(message), { code, syscall: step });
}

/** The target a temporary file of lib/data/atomic.ts stands for: '.NAME.PID.HEX.tmp'. */
function targetOf(file: string): string | undefined {
  const match = /^\.(.+)\.\d+\.[0-9a-f]+\.tmp$/.exec(path.basename(file));
  return match ? match[1] : undefined;
}

/**
 * Runs body with the fault in place and restores fs afterwards (whatever body does).
 *
 * @example
 * await withFault({ step: 'write', target: 'model.safetensors' }, () => net.save(file));
 */
export async function withFault<T>(fault: Fault, body: (log: FaultLog) => Promise<T> | T):
  Promise<T> {
  const log: FaultLog = { raised: [] };
  const afterBytes = fault.afterBytes ?? 10;
  const written = new Map<unknown, number>();
  const targets = new WeakMap<object, string>();
  const descriptors = new Map<number, string>();
  const matches = (file: string | undefined) => file === fault.target;

  // Async: remember which temporary file each handle writes.
  const promises = fs.promises as unknown as Record<string, (...args: unknown[]) => unknown>;
  const open = promises.open;
  const rename = promises.rename;
  let prototype: Record<string, (...args: unknown[]) => unknown> | undefined;
  const saved: Record<string, (...args: unknown[]) => unknown> = {};
  promises.open = async function (this: unknown, ...args: unknown[]) {
    const handle = await (open.apply(this, args) as Promise<object>);
    const target = targetOf(String(args[0]));
    if (target !== undefined) targets.set(handle, target);
    if (!prototype) {
      prototype = Object.getPrototypeOf(handle);
      for (const name of ['write', 'datasync']) {
        saved[name] = prototype![name];
        const original = saved[name];
        prototype![name] = function (this: object, ...rest: unknown[]) {
          const target = targets.get(this);
          if (!matches(target) || fault.step !== name) return original.apply(this, rest);
          if (name === 'datasync') {
            log.raised.push(`datasync ${target}`);
            return Promise.reject(fsError('datasync'));
          }
          // write(buffer, offset, length): let afterBytes through, then fail.
          const done = written.get(this) ?? 0;
          if (done >= afterBytes) {
            log.raised.push(`write ${target}`);
            return Promise.reject(fsError('write'));
          }
          const length = Math.min(Number(rest[2]), afterBytes - done);
          written.set(this, done + length);
          return original.call(this, rest[0], rest[1], length);
        };
      }
    }
    return handle;
  };
  promises.rename = function (this: unknown, ...args: unknown[]) {
    if (fault.step === 'rename' && matches(path.basename(String(args[1])))) {
      log.raised.push(`rename ${path.basename(String(args[1]))}`);
      return Promise.reject(fsError('rename'));
    }
    return rename.apply(this, args);
  };

  // Sync: the same through file descriptors.
  const sync = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const syncSaved = { openSync: sync.openSync, writeSync: sync.writeSync,
    fdatasyncSync: sync.fdatasyncSync, renameSync: sync.renameSync };
  sync.openSync = function (this: unknown, ...args: unknown[]) {
    const descriptor = syncSaved.openSync.apply(this, args) as number;
    const target = targetOf(String(args[0]));
    if (target !== undefined) descriptors.set(descriptor, target);
    return descriptor;
  };
  sync.writeSync = function (this: unknown, ...args: unknown[]) {
    const target = descriptors.get(args[0] as number);
    if (fault.step !== 'write' || !matches(target)) return syncSaved.writeSync.apply(this, args);
    const done = written.get(args[0]) ?? 0;
    if (done >= afterBytes) {
      log.raised.push(`write ${target}`);
      throw fsError('write');
    }
    const length = Math.min(Number(args[3]), afterBytes - done);
    written.set(args[0], done + length);
    return syncSaved.writeSync.call(this, args[0], args[1], args[2], length);
  };
  sync.fdatasyncSync = function (this: unknown, ...args: unknown[]) {
    const target = descriptors.get(args[0] as number);
    if (fault.step === 'datasync' && matches(target)) {
      log.raised.push(`datasync ${target}`);
      throw fsError('datasync');
    }
    return syncSaved.fdatasyncSync.apply(this, args);
  };
  sync.renameSync = function (this: unknown, ...args: unknown[]) {
    if (fault.step === 'rename' && matches(path.basename(String(args[1])))) {
      log.raised.push(`rename ${path.basename(String(args[1]))}`);
      throw fsError('rename');
    }
    return syncSaved.renameSync.apply(this, args);
  };

  try {
    return await body(log);
  } finally {
    promises.open = open;
    promises.rename = rename;
    if (prototype) Object.assign(prototype, saved);
    Object.assign(sync, syncSaved);
  }
}

/** The code of the error a step's fault raises: ENOSPC, EIO or EACCES. */
export function faultCode(step: FaultStep): string {
  return ERRORS[step].code;
}
