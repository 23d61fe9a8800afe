// A CommonJS module in the same graph: an ES module imports it (default and a
// named export), and it require()s the describe ES module back.
const { describe } = require('./describe.js');

exports.plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
exports.describedBy = describe;
