#!/usr/bin/env node
// CommonJS (see bin/package.json): the bundle in cli/ is CommonJS, which Node loads faster.
require('../cli/main.cjs');
