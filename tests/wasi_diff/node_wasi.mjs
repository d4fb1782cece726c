// Runs a WASI preview1 command module under Node's node:wasi, taking the same options as
// `lantern run`, so the differential tests can run one guest under both runtimes with one
// command line:
//
//   node --no-warnings node_wasi.mjs [--dir HOST[::GUEST]] [--env K=V] [--stdin FILE] MODULE ARGS...
//
// Options must come before MODULE; everything after it goes to the guest, and the guest's argv[0]
// is MODULE as written. The exit code is the guest's (proc_exit, 0 when _start returns), 1 on a
// trap or an error, as with `lantern run`.
import { openSync, readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

function fail(message) {
  process.stderr.write(`node_wasi: ${message}\n`);
  process.exit(1);
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) fail(`Node 20 or newer is needed (this is ${process.version})`);

const env = {};
const preopens = {};
let stdin = 0;  // without --stdin the guest reads this process's own stdin, as in lantern
let rest = process.argv.slice(2);
while (rest.length > 0 && rest[0].startsWith('--')) {
  const [flag, inline] = rest[0].split(/=(.*)/s);
  const value = inline ?? rest[1];
  rest = rest.slice(inline === undefined ? 2 : 1);
  if (value === undefined) fail(`${flag} needs a value`);
  if (flag === '--dir') {
    // node:wasi has no read-only preopens: refuse `:ro` rather than silently allow writes.
    if (value.endsWith(':ro')) fail(`--dir '${value}': node:wasi cannot make a preopen read-only`);
    const spec = value.endsWith(':rw') ? value.slice(0, -3) : value;
    const sep = spec.indexOf('::');
    const host = sep < 0 ? spec : spec.slice(0, sep);
    const guest = sep < 0 ? spec : spec.slice(sep + 2);
    if (!host || !guest) fail(`--dir '${value}': expected HOST[::GUEST]`);
    preopens[guest] = host;  // insertion order = fd order (3, 4, ...), as lantern
  } else if (flag === '--env') {
    const eq = value.indexOf('=');
    if (eq <= 0) fail(`--env '${value}': expected KEY=VALUE`);
    env[value.slice(0, eq)] = value.slice(eq + 1);
  } else if (flag === '--stdin') {
    try {
      stdin = openSync(value, 'r');
    } catch (e) {
      fail(`--stdin '${value}': ${e.message}`);
    }
  } else {
    fail(`unknown option ${flag}`);
  }
}
if (rest.length === 0) fail('MODULE is missing');
const [modulePath, ...guestArgs] = rest;

let exitCode;
try {
  const wasi = new WASI({
    version: 'preview1',
    args: [modulePath, ...guestArgs],
    env,
    preopens,
    stdin,
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(readFileSync(modulePath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  exitCode = wasi.start(instance);
} catch (e) {
  fail(`${e instanceof WebAssembly.RuntimeError ? 'trap' : 'error'}: ${e.message}`);
}
process.exitCode = exitCode;
