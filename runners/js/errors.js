'use strict';
// How errors leave the runner, following n8n's task runner: errors from the task's own realm (the
// vm context) are not host `Error`s, so n8n rebuilds their message from the stack and adds the
// line of user code ("x is not defined [line 3]"); host errors keep their message.

/**
 * Sets an own property even where a frozen prototype has one of the same name (`name`, `message`
 * on Error.prototype): plain assignment would throw once host prototypes are frozen.
 */
function setOwn(target, key, value) {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: key !== 'name' && key !== 'message' });
  return target;
}

class TimeoutError extends Error {
  constructor(seconds) {
    super(`Task execution timed out after ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
    this.description = 'The task runner was taking too long on this task, so the task was aborted. '
      + 'You can try the following:<br/><br/>1. Optimize your script to prevent long-running tasks, '
      + 'e.g. by processing data in smaller batches.<br/>2. Ensure that all paths in your script are able to '
      + 'terminate, i.e. no infinite loops.';
  }
}

const STACK_LINE = /\((?:evalmachine\.<anonymous>|flowrun-code\.js):(\d+):\d+\)/;
const STACK_LINE_BARE = /(?:evalmachine\.<anonymous>|flowrun-code\.js):(\d+):\d+/;

function lineNumberFromStack(rows) {
  const userRow = rows.find((row) => STACK_LINE.test(row) && !row.includes('VmCodeWrapper'));
  if (userRow) return Number(userRow.match(STACK_LINE)[1]);
  const topRow = rows.find((row) => row.includes('VmCodeWrapper') && STACK_LINE_BARE.test(row));
  if (topRow) return Number(topRow.match(STACK_LINE_BARE)[1]);
  return undefined;
}

/** n8n's ExecutionError: message and description rebuilt from the stack. */
function executionError(errorLike, itemIndex) {
  const stack = typeof errorLike.stack === 'string' ? errorLike.stack : '';
  const rows = stack.split('\n');
  const result = { name: 'ExecutionError', message: '', description: null, stack };
  const lineNumber = lineNumberFromStack(rows);
  if (lineNumber !== undefined) result.lineNumber = lineNumber;
  if (itemIndex !== undefined) result.itemIndex = itemIndex;
  let lineDisplay = '';
  if (lineNumber !== undefined) {
    lineDisplay = itemIndex === undefined ? `[line ${lineNumber}]` : `[line ${lineNumber}, for item ${itemIndex}]`;
  }
  const messageRow = rows.find((row) => row.includes('Error:'));
  if (!messageRow) {
    result.message = `Unknown error ${lineDisplay}`;
    return result;
  }
  const segments = messageRow.split(':').map((part) => part.trim());
  if (segments[1] === "Cannot find module 'node") {
    segments[1] = `${segments[1]}:${segments[2]}`;
    segments.splice(2, 1);
  }
  const [details, type] = segments.reverse();
  if (type && type !== 'Error') result.description = type;
  result.message = details ? `${details} ${lineDisplay}` : `Unknown error ${lineDisplay}`;
  return result;
}

/** Turns anything user code threw into the plain error object flowrun receives. */
function serializeError(error) {
  if (error instanceof Error) {
    const out = { name: error.name, message: error.message, stack: error.stack };
    if (error.description !== undefined) out.description = error.description;
    if (error.itemIndex !== undefined) out.itemIndex = error.itemIndex;
    if (error.lineNumber !== undefined) out.lineNumber = error.lineNumber;
    return out;
  }
  if (typeof error === 'object' && error !== null && 'message' in error) return executionError(error);
  return executionError({ message: JSON.stringify(error) });
}

module.exports = { TimeoutError, executionError, serializeError, setOwn };
