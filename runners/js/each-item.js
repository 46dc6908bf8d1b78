'use strict';
// Per-item code (Code "Run Once for Each Item", Function Item) under one time limit per batch of
// items instead of one per item: a `vm` call with a `timeout` starts (and joins) a watchdog thread,
// about 0.2 ms, which for 10,000 items was most of the task. Code that cannot suspend (no `await`,
// no promise handling in its text) runs item after item inside one timed call; code that may
// suspend keeps one timed call per item, awaited before the next item starts, as before.
const vm = require('node:vm');
const { TimeoutError } = require('./errors.js');

// Words after which code may wait for or schedule work between items (conservative: a match in a
// comment or a string only costs speed).
const SUSPENDS = /\bawait\b|\basync\b|\bthen\b|\bPromise\b|\bqueueMicrotask\b/;

/** Whether the items of `code` can run one after another inside one timed call. */
function runsSynchronously(code) {
  return !SUSPENDS.test(code);
}

// The timed call runs in a context of its own that only holds the driver, so task code never sees it.
const driverContext = vm.createContext({ drive: null });
const driverScript = new vm.Script('drive()', { filename: 'flowrun-each-item-driver.js' });
const NOT_DECORATED = { displayErrors: false };

/**
 * Runs `script` (the synchronous wrapper of the task's code) for items `start`… until one returns a
 * thenable or throws, or all ran. `prepare(index)` sets the item's globals; `accept(index, value)`
 * takes a plain result (an error it throws is the item's error). The whole batch runs inside one call with `timeoutMs` (0 = none).
 *
 * Returns `{ next, outcome }`: `next` the first item not started; `outcome` undefined when every
 * item up to `count` ran, else `{ index, error }` (the item threw, or the time limit passed while it
 * ran: `timedOut`) or `{ index, then, value }` (it returned a thenable, to be awaited as an async
 * function's result would be).
 */
function runBatch(script, context, start, count, timeoutMs, prepare, accept) {
  const state = { index: start, outcome: undefined };
  driverContext.drive = () => {
    for (; state.index < count; state.index++) {
      const index = state.index;
      prepare(index);
      try {
        // No source excerpt added to the stack: an async wrapper's error never had one.
        const value = script.runInContext(context, NOT_DECORATED);
        // An async function's result is resolved: `then` is read once, a callable one adopted.
        if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
          const then = value.then;
          if (typeof then === 'function') {
            state.outcome = { index, then, value };
            state.index++;
            return;
          }
        }
        accept(index, value);
      } catch (error) {
        state.outcome = { index, error };
        state.index++;
        return;
      }
    }
  };
  try {
    driverScript.runInContext(driverContext, timeoutMs > 0 ? { timeout: timeoutMs } : {});
  } catch (error) {
    if (error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      state.outcome = { index: state.index, timedOut: true };
      state.index++;
    } else {
      throw error;
    }
  } finally {
    driverContext.drive = null;
  }
  return { next: state.index, outcome: state.outcome };
}

/** The value a thenable outcome resolves to, as awaiting an async function that returned it gives. */
function settle(outcome) {
  return new Promise((resolve, reject) => {
    outcome.then.call(outcome.value, resolve, reject);
  });
}

/** One timed call of the async wrapper, as a promise (a timeout becomes n8n's TimeoutError). */
function runTimed(script, context, timeoutMs) {
  try {
    return Promise.resolve(script.runInContext(context, timeoutMs > 0 ? { timeout: timeoutMs } : {}));
  } catch (error) {
    if (error && error.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return Promise.reject(new TimeoutError(Math.round(timeoutMs / 1000)));
    }
    return Promise.reject(error);
  }
}

/**
 * Runs per-item code for every item, in order, one item's code finishing before the next starts:
 * `prepare(index)` sets the item's globals, `finish(index, value)` takes its result and
 * `fail(index, error)` the error of its code or of `finish` (and may throw to end the task). Code that cannot suspend runs
 * in batches under one time limit each (`syncScript`, its synchronous wrapper, or null); other
 * code gets one timed call per item.
 */
async function forEachItem(task, context, script, syncScript, count, prepare, finish, fail) {
  if (syncScript === null) {
    for (let index = 0; index < count; index++) {
      prepare(index);
      try {
        finish(index, await runTimed(script, context, task.timeoutMs));
      } catch (error) {
        fail(index, error);
      }
    }
    return;
  }
  let next = 0;
  while (next < count) {
    const batch = runBatch(syncScript, context, next, count, task.timeoutMs, prepare, finish);
    next = batch.next;
    const outcome = batch.outcome;
    if (outcome === undefined) break;
    try {
      if (outcome.timedOut) throw new TimeoutError(Math.round(task.timeoutMs / 1000));
      if (!('then' in outcome)) throw outcome.error;
      finish(outcome.index, await settle(outcome));
    } catch (error) {
      fail(outcome.index, error);
    }
  }
}

module.exports = { runsSynchronously, forEachItem, runTimed };

