#!/usr/bin/env node
'use strict';
// flowrun's JavaScript task runner. Protocol: docs/task-runners.md. One task at a time; each task
// gets a fresh vm context. flowrun kills and replaces the process on time or memory limits.
const vm = require('node:vm');
const { readLine, send, sendLine, call } = require('./protocol.js');
const { createTaskContext, prepareContext } = require('./sandbox.js');
const results = require('./results.js');
const eachItem = require('./each-item.js');

const runScript = eachItem.runTimed;
const { sendInParts } = require('./answer-parts.js');
const { serializeError } = require('./errors.js');

// 2: items stream in `items` messages both ways (docs/task-runners.md, "Protocol").
const PROTOCOL_VERSION = 2;
const WRAPPER_PREFIX = 'module.exports = async function VmCodeWrapper() {';
// The same wrapper without `async`, for per-item code that cannot suspend (each-item.js).
const SYNC_WRAPPER_PREFIX = 'module.exports = function VmCodeWrapper() {';
const HARDENING = [
  'globalThis.global = globalThis',
  'Object.getPrototypeOf = () => ({})',
  'Reflect.getPrototypeOf = () => ({})',
  'Object.setPrototypeOf = () => false',
  'Reflect.setPrototypeOf = () => false',
].join('; ');

// Compiled scripts by source: a script is not bound to a context, so a workflow's Code node that
// runs again (every execution, every run of a loop) reuses its compilation in a fresh context.
const SCRIPT_CACHE_LIMIT = 64;
const scripts = new Map();
const syncScripts = new Map();

function compile(code, cache = scripts, prefix = WRAPPER_PREFIX) {
  const cached = cache.get(code);
  if (cached !== undefined) {
    cache.delete(code);
    cache.set(code, cached);
    return cached;
  }
  // Everything before the user's first line stays on line 1, so stack lines are user lines.
  const script = new vm.Script(`${HARDENING}; ${prefix}${code}\n}()`);
  if (cache.size >= SCRIPT_CACHE_LIMIT) cache.delete(cache.keys().next().value);
  cache.set(code, script);
  return script;
}

/** The synchronous wrapper of per-item code that cannot suspend, or null (each-item.js). */
function compileSync(code) {
  return eachItem.runsSynchronously(code) ? compile(code, syncScripts, SYNC_WRAPPER_PREFIX) : null;
}

/**
 * Appends a part of the task's items to `out` as n8n items. flowrun sends them either as a list of
 * items or in columns (docs/task-runners.md): `json` (one object per item), `pairedItem`
 * (`"index"`: item i comes from input item i; or one entry per item, null when absent) and sparse
 * `binary` / `error` keyed by the item's index in the task. Building the item objects here is
 * cheaper than parsing them.
 */
function appendItems(out, items) {
  if (items === undefined || items === null) return;
  if (Array.isArray(items)) {
    for (let i = 0; i < items.length; i++) out.push(items[i]);
    return;
  }
  const json = items.json || [];
  const paired = items.pairedItem;
  const binary = items.binary;
  const error = items.error;
  const count = json.length;
  const base = out.length;
  if (paired === 'index' && !binary && !error) {
    for (let i = 0; i < count; i++) out.push({ json: json[i], pairedItem: { item: base + i } });
    return;
  }
  for (let i = 0; i < count; i++) {
    const index = base + i;
    const item = { json: json[i] };
    if (binary && Object.hasOwn(binary, index)) item.binary = binary[index];
    if (paired === 'index') item.pairedItem = { item: index };
    else if (Array.isArray(paired) && paired[i] !== null && paired[i] !== undefined) item.pairedItem = paired[i];
    if (error && Object.hasOwn(error, index)) item.error = error[index];
    out.push(item);
  }
}

/**
 * The task's items: the part in the task message, then, when `itemsContinue` is set, the parts in
 * the `items` messages that follow it (the last one has `last: true`). Each part is parsed as it
 * arrives, while flowrun writes the next one.
 */
function receiveItems(task) {
  const items = [];
  appendItems(items, task.items);
  if (task.itemsContinue !== true) return items;
  for (;;) {
    const line = readLine();
    if (line === null) process.exit(0);
    const part = JSON.parse(line);
    if (part.type !== 'items' || part.task !== task.id) {
      throw new Error(`flowrun runner: expected the items of task ${task.id}, got a "${part.type}" message`);
    }
    appendItems(items, part.items);
    if (part.last === true) return items;
  }
}

/** Timers the task's code starts are tracked so none outlives the task. */
function installTimers(context) {
  const handles = new Set();
  const track = (create, clear) => (fn, ...rest) => {
    const handle = create((...args) => {
      if (create !== setInterval) handles.delete(handle);
      return fn(...args);
    }, ...rest);
    handles.add({ handle, clear });
    return handle;
  };
  context.setTimeout = track(setTimeout, clearTimeout);
  context.setInterval = track(setInterval, clearInterval);
  context.setImmediate = track(setImmediate, clearImmediate);
  return () => {
    for (const entry of handles) if (entry && entry.clear) entry.clear(entry.handle);
    handles.clear();
  };
}


function deepCopy(value) {
  return JSON.parse(JSON.stringify(value));
}

async function runCode(task, sandbox, script) {
  const { context } = sandbox;
  const items = task.items;
  if (task.mode === 'runOnceForEachItem') {
    const match = task.code.match(/\$input\.(first|last|all|itemMatching)/);
    if (match) {
      const method = match[1];
      const lineNumber = task.code.split('\n').findIndex((line) => line.includes(method) && !line.startsWith('//') && !line.startsWith('*')) + 1;
      if (lineNumber !== 0) {
        const error = new results.ValidationError({
          message: `Can't use .${method}() here`,
          description: "This is only available in 'Run Once for All Items' mode",
          itemIndex: 0,
          lineNumber,
        });
        if (!task.continueOnFail) throw error;
        return items.map((_, index) => ({ json: { error: error.message }, pairedItem: { item: index } }));
      }
    }
    const wrapped = [];
    await eachItem.forEachItem(task, context, script, compileSync(task.code), items.length, (index) => {
      sandbox.setItem(index);
      context.item = items[index];
    }, (index, result) => {
      const item = results.wrapEachItemResult(result, index);
      if (item) wrapped.push(item);
    }, (index, error) => {
      if (!task.continueOnFail) throw error;
      wrapped.push({ json: { error: serializeError(error).message }, pairedItem: { item: index } });
    });
    // With continue-on-fail a wrong shape becomes an error item, as n8n's Code node does.
    const plain = results.throughJSON(wrapped);
    return plain.map((result, index) => {
      try {
        return results.validateEachItem(result, index, results.JS_KEYS);
      } catch (error) {
        if (!task.continueOnFail) throw error;
        return { json: { error: error.message }, pairedItem: result && result.pairedItem ? result.pairedItem : { item: index } };
      }
    });
  }
  context.items = items;
  let result;
  try {
    result = await runScript(script, context, task.timeoutMs);
    if (result === null) result = [];
  } catch (error) {
    if (!task.continueOnFail) throw error;
    result = [{ json: { error: serializeError(error).message } }];
  }
  if (Array.isArray(result)) {
    // An array goes out as the text JSON.stringify makes of it, unvalidated: flowrun validates the
    // items as they crossed the wire, with n8n's rules (as n8n's Code node validates what its
    // runner sent), while it reads them anyway. Text that is not an array (a toJSON) is checked here.
    let text;
    try {
      text = sendInParts(task.id, result);
    } catch (error) {
      if (!task.continueOnFail) throw error;
      return [{ json: { error: error.message } }];
    }
    if (text === null) return results.ItemsText.streamed();
    if (text !== undefined && text.charCodeAt(0) === 0x5b) return new results.ItemsText(undefined, text, true);
    try {
      return results.validateAllItems(text === undefined ? undefined : JSON.parse(text), results.JS_KEYS);
    } catch (error) {
      if (!task.continueOnFail) throw error;
      return [{ json: { error: error.message } }];
    }
  }
  try {
    // Validated as the value that crosses the wire (JSON semantics). When the JSON round trip
    // cannot change what validation looks at (the usual array of plain items), the value itself
    // is validated instead of parsing its text back; when validation keeps the array as it is,
    // its text goes out as it is (no second JSON.stringify of every item).
    const text = result === undefined ? undefined : JSON.stringify(result);
    const plain = text === undefined ? undefined
      : results.survivesJSONUnchanged(result) ? result : JSON.parse(text);
    const items = results.validateAllItems(plain, results.JS_KEYS);
    if (items === plain) return new results.ItemsText(items, text);
    return items;
  } catch (error) {
    if (!task.continueOnFail) throw error;
    return [{ json: { error: error.message } }];
  }
}

function functionLineSuffix(error) {
  const stack = error && typeof error.stack === 'string' ? error.stack : '';
  const match = stack.match(/evalmachine\.<anonymous>:(\d+):\d+/);
  return match ? ` [Line ${match[1]}]` : '';
}

async function runFunction(task, sandbox, script) {
  const { context } = sandbox;
  const items = deepCopy(task.items).map((item, index) => ({ ...item, index }));
  context.items = items;
  try {
    const result = await runScript(script, context, task.timeoutMs);
    return results.validateFunctionItems(results.throughJSON(result)).map(({ index, ...item }) => item);
  } catch (error) {
    const message = serializeError(error).message.replace(/ \[line \d+\]$/, '');
    if (task.continueOnFail) return [{ json: { error: message } }];
    const thrown = new Error(message + functionLineSuffix(error));
    throw thrown;
  }
}

async function runFunctionItem(task, sandbox, script) {
  const { context } = sandbox;
  const output = [];
  const items = deepCopy(task.items);
  await eachItem.forEachItem(task, context, script, compileSync(task.code), items.length, (index) => {
    sandbox.setItem(index);
    const item = items[index];
    context.item = item.json;
    context.getBinaryData = () => item.binary;
    context.setBinaryData = (data) => { item.binary = data; };
  }, (index, value) => {
    const result = results.validateFunctionItem(value);
    const json = results.throughJSON(result);
    const out = { json, pairedItem: { item: index } };
    if (items[index].binary !== undefined) out.binary = items[index].binary;
    output.push(out);
  }, (index, error) => {
    const message = serializeError(error).message.replace(/ \[line \d+\]$/, '');
    if (task.continueOnFail) {
      output.push({ json: { error: message }, pairedItem: { item: index } });
      return;
    }
    // n8n's Function Item: "<message> [Line n | Item Index: i]", or "[Item Index: i]" without a line.
    const line = functionLineSuffix(error).match(/\d+/);
    throw new Error(line ? `${message} [Line ${line[0]} | Item Index: ${index}]` : `${message} [Item Index: ${index}]`);
  });
  return output;
}

async function runTask(task) {
  const sandbox = createTaskContext(
    task,
    (method, params) => call(task.id, method, params),
    (args) => send({ type: 'log', task: task.id, args }),
  );
  const clearTimers = installTimers(sandbox.context);
  try {
    const script = compile(task.code);
    if (task.kind === 'raw') {
      // Another node's snippet (Sort's code comparator…): extra globals in, plain value out, no
      // Code-node result rules (n8n's JsTaskRunnerSandbox.runCode).
      Object.assign(sandbox.context, task.additionalProperties || {});
      const value = results.throughJSON(await runScript(script, sandbox.context, task.timeoutMs));
      return { result: value === undefined ? null : value };
    }
    let items;
    if (task.kind === 'function') items = await runFunction(task, sandbox, script);
    else if (task.kind === 'functionItem') items = await runFunctionItem(task, sandbox, script);
    else items = await runCode(task, sandbox, script);
    if (items instanceof results.ItemsText && items.streamed) {
      return { streamed: true, unvalidated: true, staticData: results.throughJSON(sandbox.staticData), customData: sandbox.customData };
    }
    if (items instanceof results.ItemsText) {
      const answer = { items: items.items, itemsText: items.text, staticData: results.throughJSON(sandbox.staticData), customData: sandbox.customData };
      if (items.unvalidated) answer.unvalidated = true;
      return answer;
    }
    return { items, staticData: results.throughJSON(sandbox.staticData), customData: sandbox.customData };
  } finally {
    clearTimers();
    releaseContext(sandbox.context);
    sandbox.release();
    task.items = null;
  }
}

/**
 * Drops what the finished task's context refers to (its items, helpers): a context lives in the
 * old generation, so while it is alive everything it refers to survives young-generation
 * collections and is copied and promoted, though no task will use it again.
 */
function releaseContext(context) {
  for (const name of Object.getOwnPropertyNames(context)) {
    try {
      context[name] = undefined;
    } catch {
      // A property the code made read-only keeps its value until the context is collected.
    }
  }
}

/** Compiles code as the runner would run it and reports the first syntax error with its position. */
function checkSyntax(code) {
  const prefix = '(async function VmCodeWrapper() {';
  try {
    new vm.Script(`${prefix}${code}\n})`, { filename: 'flowrun-code.js' });
    return { ok: true };
  } catch (error) {
    const rows = String(error.stack || '').split('\n');
    const where = rows[0].match(/flowrun-code\.js:(\d+)/);
    const line = where ? Number(where[1]) : undefined;
    let column;
    if (rows.length > 2 && /^\s*\^+\s*$/.test(rows[2])) column = rows[2].indexOf('^') + 1;
    if (line === 1 && column !== undefined) column -= prefix.length;
    return { ok: false, message: `${error.name}: ${error.message}`, line, column };
  }
}

/** The `done` message; items already turned into JSON text are spliced in, not stringified again. */
function sendDone(id, result) {
  if (result.itemsText === undefined) {
    send({ type: 'done', task: id, ok: true, ...result });
    return;
  }
  const { items, itemsText, ...rest } = result;
  const head = JSON.stringify({ type: 'done', task: id, ok: true, ...rest });
  sendLine(head.slice(0, -1), ',"items":', itemsText, '}');
}

// The young generation's collector, taken from a throwaway context: --expose-gc is on only while
// that context is made, so task contexts never see a `gc` global.
const collectGarbage = (() => {
  const v8 = require('node:v8');
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc');
  } catch {
    return null;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
})();

/**
 * Work done after a task's answer is sent, while flowrun reads it and prepares the next task: the
 * task's short-lived objects are collected now (not by a scavenge in the middle of the next task,
 * which would also copy that task's live items) and the next task's vm context is made.
 */
function idle() {
  if (collectGarbage !== null) collectGarbage({ type: 'minor' });
  prepareContext();
}

function loop() {
  for (;;) {
    const line = readLine();
    if (line === null) process.exit(0);
    if (line.length === 0 || (line.length < 64 && line.trim() === '')) continue;
    let message;
    try {
      message = JSON.parse(line);
    } catch (error) {
      process.stderr.write(`flowrun runner: unreadable message: ${error.message}\n`);
      continue;
    }
    if (message.type === 'shutdown') process.exit(0);
    if (message.type === 'check') {
      send({ type: 'checked', id: message.id, ...checkSyntax(String(message.code ?? '')) });
      continue;
    }
    if (message.type === 'task') {
      startTask(message);
      return;
    }
  }
}

/**
 * Runs a task and sends its `done`. Nothing of the task stays reachable once it is done (the
 * continuation refers to its id only), so the collection between tasks finds its objects dead
 * instead of copying them.
 */
function startTask(message) {
  const id = message.id;
  let items;
  try {
    items = receiveItems(message);
  } catch (error) {
    send({ type: 'done', task: id, ok: false, error: serializeError(error) });
    setImmediate(afterTask);
    return;
  }
  message.items = items;
  delete message.itemsContinue;
  runTask(message).then(
    (result) => sendDone(id, result),
    (error) => send({ type: 'done', task: id, ok: false, error: serializeError(error) }),
  ).finally(() => setImmediate(afterTask));
}

function afterTask() {
  idle();
  loop();
}

if (process.argv.includes('--check')) {
  // One-shot batch check for `flowrun validate`: stdin holds [{id, code}], stdout gets the answers.
  const chunks = [];
  for (let line = readLine(); line !== null; line = readLine()) chunks.push(line);
  const requests = JSON.parse(chunks.join('\n') || '[]');
  send(requests.map((request) => ({ id: request.id, ...checkSyntax(String(request.code ?? '')) })));
  process.exit(0);
}

// If flowrun goes away while a task is stuck in a loop, nobody would kill this process: a watchdog
// thread ends it when its parent changes.
function startWatchdog() {
  const { Worker } = require('node:worker_threads');
  const source = `
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) process.kill(${process.pid}, 'SIGKILL'); }, 1000);
  `;
  const worker = new Worker(source, { eval: true, env: {}, resourceLimits: { maxOldGenerationSizeMb: 8 } });
  worker.unref();
}

// Code that reaches a host object (an item, a helper function) must not be able to change the
// prototypes later tasks rely on (n8n's runner freezes them the same way).
function freezeHostPrototypes() {
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const value = globalThis[name];
    if (typeof value === 'function' && value.prototype) Object.freeze(value.prototype);
  }
}

startWatchdog();
freezeHostPrototypes();
prepareContext();
send({ type: 'ready', language: 'javascript', protocol: PROTOCOL_VERSION, runtime: process.version });
loop();
