'use strict';
// Builds the global object one task's code sees: a fresh vm context per task.
const vm = require('node:vm');
const { isBuiltin } = require('node:module');
const { inspect } = require('node:util');
const { NodeData, createNodeAccessor, createLegacyNodeProxy, createEnvProxy, proxyError, DateTime, Duration, Interval } = require('./data-proxy.js');
const { executionError, setOwn } = require('./errors.js');
const { jmespathSearch } = require('./jmespath.js');
const { Settings } = require('./luxon-lite.js');

function formatLogArgument(arg) {
  if (typeof arg === 'object' && arg !== null && '__isExecutionContext' in arg) return '[[ExecutionContext]]';
  if (typeof arg === 'string') return `'${arg}'`;
  const seen = new WeakSet();
  try {
    const text = JSON.stringify(arg, (key, value) => {
      if (typeof value === 'object' && value !== null) {
        if (seen.has(value)) return '[Circular Reference]';
        seen.add(value);
      }
      return value;
    });
    return text === undefined ? inspect(arg) : text;
  } catch {
    return inspect(arg);
  }
}

function parseAllowList(value) {
  if (value === '*' || (Array.isArray(value) && value.includes('*'))) return '*';
  if (Array.isArray(value)) return new Set(value.map((x) => String(x).trim()).filter(Boolean));
  if (typeof value === 'string') return new Set(value.split(',').map((x) => x.trim()).filter(Boolean));
  return new Set();
}

// Allow lists come from the runner's environment (set by flowrun from its configuration), as
// n8n's NODE_FUNCTION_ALLOW_BUILTIN / NODE_FUNCTION_ALLOW_EXTERNAL.
const ALLOWED = {
  builtin: process.env.FLOWRUN_ALLOW_BUILTIN || '',
  external: process.env.FLOWRUN_ALLOW_EXTERNAL || '',
};

function createRequire() {
  const builtins = parseAllowList(ALLOWED.builtin);
  const external = parseAllowList(ALLOWED.external);
  return (request) => {
    const request_ = String(request);
    const list = isBuiltin(request_) ? builtins : external;
    const allowed = list === '*' || list.has(request_) || (isBuiltin(request_) && list.has(request_.replace(/^node:/, '')));
    if (!allowed) {
      const error = new Error(`Cannot find module '${request_}'`);
      const rebuilt = executionError(error);
      const thrown = new Error(rebuilt.message);
      thrown.description = rebuilt.description;
      throw thrown;
    }
    return require(request_);
  };
}

/**
 * Creates the context for one task. `call(method, params)` asks flowrun synchronously;
 * `log(args)` records console output.
 */
// A context made between tasks (`prepareContext`), while the runner waits for the next one: a new
// vm context costs about as much as a small task, and this keeps it off the task's path. Each
// context still serves exactly one task.
let spareContext = null;

/** Makes the next task's (empty) context now, if none is waiting. */
function prepareContext() {
  if (spareContext === null) spareContext = vm.createContext({});
}

function takeContext(globals) {
  const context = spareContext;
  spareContext = null;
  if (context === null) return vm.createContext(globals);
  return Object.assign(context, globals);
}

function createTaskContext(task, call, log) {
  const state = { itemIndex: 0 };
  let nodes = new NodeData(task, call);
  const ctx = { nodes, call, itemIndex: () => state.itemIndex };
  let inputItems = task.items;
  const zone = task.timezone || 'America/New_York';
  const nowMillis = typeof task.now === 'number' ? task.now : Date.now();
  Settings.defaultZone = zone;

  const requireInput = () => {
    if (inputItems.length === 0) throw proxyError('No execution data available');
  };
  const $input = {
    all: () => { requireInput(); return inputItems; },
    first: (...args) => {
      requireInput();
      if (args.length) throw proxyError('$input.first() should have no arguments');
      return inputItems[0];
    },
    last: (...args) => {
      requireInput();
      if (args.length) throw proxyError('$input.last() should have no arguments');
      return inputItems.length ? inputItems[inputItems.length - 1] : undefined;
    },
    get item() { requireInput(); return inputItems[state.itemIndex]; },
    get params() { return task.prevNodeParameters ?? {}; },
    get context() { return {}; },
  };

  const customData = Object.assign({}, task.customData || {});
  const staticData = task.staticData || { global: {}, node: {} };
  const execution = {
    id: task.executionId,
    mode: task.workflowMode === 'manual' ? 'test' : 'production',
    resumeUrl: task.resumeUrl,
    resumeFormUrl: task.resumeFormUrl,
    customData: {
      set(key, value) { customData[String(key)] = String(value); },
      setAll(values) { for (const [k, v] of Object.entries(values || {})) customData[k] = String(v); },
      get(key) { return customData[key]; },
      getAll() { return { ...customData }; },
    },
  };

  const consoleObject = {};
  for (const name of Object.keys(console)) consoleObject[name] = () => {};
  consoleObject.log = (...args) => log(args.map(formatLogArgument));

  const helpers = {
    httpRequest: async (options) => call('httpRequest', { options }),
    httpRequestWithAuthentication: async (credentialsType, options) =>
      call('httpRequest', { options, credentialsType }),
    requestWithAuthenticationPaginated: async () => { throw unsupported('helpers.requestWithAuthenticationPaginated'); },
    request: async (options) => call('httpRequest', { options, legacy: true }),
  };
  for (const name of ['getBinaryDataBuffer', 'prepareBinaryData', 'setBinaryDataBuffer', 'binaryToString', 'getBinaryStream', 'getBinaryMetadata', 'createDeferredPromise', 'copyInputItems']) {
    helpers[name] = () => { throw unsupported(`helpers.${name}`); };
  }

  let globals = {
    __isExecutionContext: true,
    require: createRequire(),
    module: {},
    console: consoleObject,
    Buffer, setTimeout, setInterval, setImmediate, clearTimeout, clearInterval, clearImmediate,
    btoa, atob, TextDecoder, TextDecoderStream, TextEncoder, TextEncoderStream, FormData,
    DateTime, Duration, Interval,
    $: (name) => createNodeAccessor(name, ctx),
    $input,
    $node: createLegacyNodeProxy(ctx),
    $items: (name, output, run) => {
      if (name === undefined) return inputItems;
      return nodes.items(name, output || 0, run === undefined ? -1 : run);
    },
    $item: (index) => ({
      get $json() { return inputItems[index] ? inputItems[index].json : undefined; },
      get $binary() { return inputItems[index] ? inputItems[index].binary : undefined; },
      get $node() { return createLegacyNodeProxy({ ...ctx, itemIndex: () => index }); },
    }),
    $env: createEnvProxy(task.env),
    $vars: Object.freeze({ ...(task.vars || {}) }),
    $execution: execution,
    $workflow: { id: task.workflow && task.workflow.id, name: task.workflow && task.workflow.name, active: !!(task.workflow && task.workflow.active) },
    $prevNode: task.prevNode || {},
    $runIndex: task.runIndex || 0,
    $mode: task.workflowMode,
    $nodeVersion: task.node && task.node.typeVersion,
    $nodeId: task.node && task.node.id,
    $webhookId: task.node && task.node.webhookId,
    $parameter: (task.node && task.node.parameters) || {},
    $rawParameter: (task.node && task.node.parameters) || {},
    $now: DateTime.fromMillis(nowMillis, { zone }),
    $today: DateTime.fromMillis(nowMillis, { zone }).startOf('day'),
    $jmespath: jmespathSearch,
    $jmesPath: jmespathSearch,
    $getWorkflowStaticData: (type) => {
      if (type === 'global') return staticData.global;
      if (type === 'node') return staticData.node;
      throw new Error(`The static data type "${type}" is not known. Only "global" and "node" are valid.`);
    },
    $evaluateExpression: (expression, itemIndex) =>
      call('evaluateExpression', { expression: String(expression), itemIndex: itemIndex || state.itemIndex }),
    helpers,
  };
  globals.getWorkflowStaticData = globals.$getWorkflowStaticData;
  // Function / Function Item: getNodeParameter(name) reads this node's parameters as written.
  globals.getNodeParameter = (name, _itemIndex, fallback) => {
    const parameters = (task.node && task.node.parameters) || {};
    return name in parameters ? parameters[name] : fallback;
  };

  const setItem = (index) => {
    state.itemIndex = index;
    const item = inputItems[index];
    globals.$json = item ? item.json : undefined;
    globals.$data = globals.$json;
    globals.$binary = item ? (item.binary || {}) : {};
    globals.$itemIndex = index;
  };
  setItem(0);
  const context = takeContext(globals);
  return {
    context,
    setItem(index) {
      setItem(index);
      context.$json = globals.$json;
      context.$data = globals.$data;
      context.$binary = globals.$binary;
      context.$itemIndex = index;
    },
    customData,
    staticData,
    /**
     * Drops what the task's closures refer to (its items, other nodes' data, the globals and
     * through them the code's result): V8 may keep a finished task's closure scopes alive until
     * the next full collection, and with them everything they refer to, which young-generation
     * collections would then copy and promote.
     */
    release() {
      inputItems = null;
      nodes = null;
      ctx.nodes = null;
      globals = null;
      task = null;
    },
  };
}

function unsupported(name) {
  const error = new Error(`Unsupported function: ${name} is not supported in Code nodes`);
  setOwn(error, 'name', 'UnsupportedFunctionError');
  return error;
}

module.exports = { createTaskContext, prepareContext, formatLogArgument };
