'use strict';
// A small Luxon-compatible DateTime / Duration / Interval for Code nodes (Luxon itself is not
// shipped). Covers what Code nodes commonly use; docs/task-runners.md lists the limits.
const { Duration } = require('./luxon-core.js');
const { DateTime, Interval, Settings } = require('./luxon-datetime.js');

module.exports = { DateTime, Duration, Interval, Settings };
