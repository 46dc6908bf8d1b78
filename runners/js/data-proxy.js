'use strict';
// The Code node's `$` globals (n8n's WorkflowDataProxy as seen from a Code node), over the task's
// data and calls back to flowrun for other nodes' outputs and paired items.
const { DateTime, Duration, Interval } = require('./luxon-lite.js');
const { setOwn } = require('./errors.js');

function proxyError(message, extra = {}) {
  const error = new Error(message);
  setOwn(error, 'name', 'ExpressionError');
  Object.assign(error, extra);
  return error;
}

/** Per-task cache of other nodes' run data, fetched from flowrun on first use. */
class NodeData {
  constructor(task, call) {
    this.task = task;
    this.call = call;
    this.cache = new Map();
  }

  /** `{exists, executed, runs, run, outputs, parameters, branch}` for a node and run (null = latest). */
  lookup(name, run) {
    const key = `${name}\u0000${run ?? ''}`;
    if (!this.cache.has(key)) this.cache.set(key, this.call('nodeData', { node: name, run: run ?? null }));
    return this.cache.get(key);
  }

  /** n8n's getNodeExecutionData: the items of one output of one run. */
  items(name, branch, run) {
    const info = this.lookup(name, run === undefined || run === -1 ? null : run);
    if (!info.exists) throw proxyError("Referenced node doesn't exist", { nodeCause: name });
    if (!info.executed) throw proxyError(`Node '${name}' hasn't been executed`, { nodeCause: name });
    if (info.outputs === null || info.outputs === undefined) {
      throw proxyError(`Run ${run === undefined || run === null || run === -1 ? info.run : run} of node "${name}" not found`);
    }
    if (info.outputs.length === 0 || info.outputs[0] === null) throw proxyError('No data found from `main` input');
    const output = branch ?? info.branch ?? 0;
    if (info.outputs.length <= output) throw proxyError(`Node "${name}" has no branch with index ${output}.`);
    return info.outputs[output] ?? [];
  }
}

function createNodeAccessor(name, ctx) {
  if (!name) throw proxyError('When calling $(), please specify a node');
  const base = ctx.nodes.lookup(name, null);
  if (!base.exists) throw proxyError("Referenced node doesn't exist", { nodeCause: name });
  const ensureExecuted = () => {
    if (!base.executed) throw proxyError(`Node '${name}' hasn't been executed`, { nodeCause: name });
  };
  const paired = (method) => (itemIndex) => {
    if (itemIndex === undefined) {
      if (method === 'itemMatching') throw proxyError('Missing item index for .itemMatching()');
      itemIndex = ctx.itemIndex();
    }
    ensureExecuted();
    return ctx.call('pairedItem', { node: name, itemIndex, method });
  };
  return {
    get isExecuted() { return base.executed; },
    get item() { return paired('item')(undefined); },
    pairedItem: (index) => paired('pairedItem')(index),
    itemMatching: (index) => paired('itemMatching')(index),
    first(branch, run) { ensureExecuted(); return ctx.nodes.items(name, branch, run)[0]; },
    last(branch, run) {
      ensureExecuted();
      const items = ctx.nodes.items(name, branch, run);
      return items.length ? items[items.length - 1] : undefined;
    },
    all(branch, run) { ensureExecuted(); return ctx.nodes.items(name, branch, run); },
    get params() { return base.parameters; },
    get context() { return base.context || {}; },
  };
}

/** `$node["Name"]`: legacy accessor, item at the same index as the current item. */
function createLegacyNodeProxy(ctx) {
  return new Proxy({}, {
    get(_, property) {
      if (typeof property !== 'string') return undefined;
      const name = property;
      const info = ctx.nodes.lookup(name, null);
      const itemAt = () => {
        const items = ctx.nodes.items(name, undefined, undefined);
        const index = ctx.itemIndex();
        if (index >= items.length) {
          throw proxyError(`"${name}" node has ${items.length} item(s) but you're trying to access item ${index}`);
        }
        return items[index];
      };
      return {
        get json() { return itemAt().json; },
        get data() { return itemAt().json; },
        get binary() { return itemAt().binary; },
        get parameter() { return info.parameters; },
        get runIndex() { return info.runs > 0 ? info.runs - 1 : -1; },
        get context() { return info.context || {}; },
      };
    },
  });
}

function createEnvProxy(env) {
  return new Proxy({}, {
    get(_, name) {
      if (env === null || env === undefined) {
        throw proxyError('access to env vars denied', {
          description: 'If you need access please contact the administrator to remove the environment variable ‘N8N_BLOCK_ENV_ACCESS_IN_NODE‘',
        });
      }
      return typeof name === 'string' ? env[name] : undefined;
    },
    has(_, name) { return env ? name in env : false; },
    ownKeys() { return env ? Object.keys(env) : []; },
    getOwnPropertyDescriptor(_, name) {
      return env && name in env ? { enumerable: true, configurable: true, value: env[name] } : undefined;
    },
  });
}

module.exports = { NodeData, createNodeAccessor, createLegacyNodeProxy, createEnvProxy, proxyError, DateTime, Duration, Interval };
