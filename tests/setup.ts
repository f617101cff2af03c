import '../src/platform/node.js';
import '../src/testing/vitest.js';

