'use strict';
// $jmespath: Debian's node-jmespath (apt package node-jmespath, found under /usr/share/nodejs),
// or a module path given in FLOWRUN_JMESPATH_MODULE.
let library = null;
let loadError = null;

function load() {
  if (library || loadError) return library;
  const candidates = [process.env.FLOWRUN_JMESPATH_MODULE, 'jmespath', '/usr/share/nodejs/jmespath/jmespath.js'];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      library = require(candidate);
      return library;
    } catch {
      // try the next location
    }
  }
  loadError = new Error('$jmespath is not available: install the node-jmespath package (apt-get install node-jmespath)');
  return null;
}

function jmespathSearch(data, query) {
  if (typeof data === 'string' && typeof query === 'object') {
    throw new Error('Arguments passed in wrong order. Please use $jmespath(object, query)');
  }
  if (typeof data !== 'object' || typeof query !== 'string') {
    throw new Error('expected two arguments (Object, string) for this function');
  }
  const jmespath = load();
  if (!jmespath) throw loadError;
  return jmespath.search(data, query);
}

module.exports = { jmespathSearch };
