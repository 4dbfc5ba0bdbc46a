#!/usr/bin/env node
// Where the bytes of a .wasm go, with no tool beyond node: section sizes and, when the module still has its
// `name` section (the main module as `xtask split` bound it before wasm-opt,
// target/wasm32-unknown-unknown/release/ccb-split/named/*_bg.wasm), code size per crate and the largest functions.
// Usage: node scripts/wasm-sizes.mjs SHIPPED.wasm [NAMED.wasm] [--top N] [--depth N]
import fs from 'node:fs';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const TOP = topIdx >= 0 ? Number(args.splice(topIdx, 2)[1]) : 25;
// --depth N: group code by the first N path segments (2 = crate::module) instead of by crate.
const depthIdx = args.indexOf('--depth');
const DEPTH = depthIdx >= 0 ? Number(args.splice(depthIdx, 2)[1]) : 1;
const [shipped, named] = args;
if (!shipped) {
  console.error('usage: node scripts/wasm-sizes.mjs SHIPPED.wasm [NAMED.wasm] [--top N] [--depth N]');
  process.exit(2);
}

function leb(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [result, pos];
  }
}

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];

function parse(file) {
  const buf = fs.readFileSync(file);
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a wasm module`);
  const sections = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    let size;
    [size, pos] = leb(buf, pos + 1);
    const start = pos;
    let name = SECTION[id] ?? `id ${id}`;
    if (id === 0) {
      const [len, p] = leb(buf, pos);
      name = `custom "${buf.subarray(p, p + len).toString('utf8')}"`;
    }
    sections.push({ id, name, start, size, body: buf.subarray(start, start + size) });
    pos = start + size;
  }
  return { buf, sections };
}

function importedFunctions(sections) {
  const s = sections.find((x) => x.id === 2);
  if (!s) return 0;
  const b = s.body;
  let [count, p] = leb(b, 0);
  let funcs = 0;
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = leb(b, p);
    p += len; // module
    [len, p] = leb(b, p);
    p += len; // field
    const kind = b[p++];
    if (kind === 0) {
      [, p] = leb(b, p);
      funcs++;
    } else if (kind === 1) {
      p += 1; // reftype
      const flags = b[p++];
      [, p] = leb(b, p);
      if (flags & 1) [, p] = leb(b, p);
    } else if (kind === 2) {
      const flags = b[p++];
      [, p] = leb(b, p);
      if (flags & 1) [, p] = leb(b, p);
    } else if (kind === 3) {
      p += 2; // valtype, mut
    } else if (kind === 4) {
      p += 1;
      [, p] = leb(b, p);
    } else throw new Error(`unknown import kind ${kind}`);
  }
  return funcs;
}

function bodySizes(sections) {
  const s = sections.find((x) => x.id === 10);
  if (!s) return [];
  const b = s.body;
  let [count, p] = leb(b, 0);
  const out = [];
  for (let i = 0; i < count; i++) {
    const before = p;
    let size;
    [size, p] = leb(b, p);
    out.push(p - before + size);
    p += size;
  }
  return out;
}

function functionNames(sections) {
  const s = sections.find((x) => x.name === 'custom "name"');
  const names = new Map();
  if (!s) return names;
  const b = s.body;
  let [len, p] = leb(b, 0);
  p += len;
  while (p < b.length) {
    const sub = b[p++];
    let size;
    [size, p] = leb(b, p);
    if (sub === 1) {
      let q = p;
      let count;
      [count, q] = leb(b, q);
      for (let i = 0; i < count; i++) {
        let idx;
        let l;
        [idx, q] = leb(b, q);
        [l, q] = leb(b, q);
        names.set(idx, b.subarray(q, q + l).toString('utf8'));
        q += l;
      }
    }
    p += size;
  }
  return names;
}

/** Rust legacy mangling (`_ZN3foo3bar17h…E`) to `foo::bar`; anything else as is. */
function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let p = 3;
  while (p < name.length && name[p] !== 'E') {
    const m = /^\d+/.exec(name.slice(p));
    if (!m) break;
    const n = Number(m[0]);
    p += m[0].length;
    parts.push(name.slice(p, p + n));
    p += n;
  }
  return parts.join('::').replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\.\./g, '::');
}

/** The first `depth` segments of the path a function belongs to (1: its crate). */
function pathOf(name, depth) {
  if (depth <= 1) return crateOf(name);
  const n = demangle(name).replace(/^_?[<&]+|^(mut |dyn |const )+/g, '').replace(/^[<&\s]+/, '').replace(/^(mut |dyn )/, '');
  return n.split(/ as |[<>]/)[0].replace(/\[[0-9a-f]+\]/g, '').split('::').slice(0, depth).join('::');
}

/** The crate a function belongs to: the first path segment (for `<T as Trait>::f`, the crate of T). */
function crateOf(name) {
  const n = demangle(name).replace(/^_?[<&]+|^(mut |dyn |const )+/g, '').replace(/^[<&\s]+/, '').replace(/^(mut |dyn )/, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[[0-9a-f]+\])?::/.exec(n);
  return m ? m[1] : '(other)';
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const pct = (a, b) => `${((100 * a) / b).toFixed(1)}%`;

const ship = parse(shipped);
console.log(`sections of ${shipped} (${ship.buf.length} bytes raw, ${zlib.brotliCompressSync(ship.buf).length} brotli):`);
for (const s of [...ship.sections].sort((a, b) => b.size - a.size)) {
  const br = zlib.brotliCompressSync(s.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`  ${s.name.padEnd(28)} ${String(s.size).padStart(9)} B  ${pct(s.size, ship.buf.length).padStart(6)}  brotli ${String(br).padStart(8)} B`);
}

if (named && fs.existsSync(named)) {
  const n = parse(named);
  const names = functionNames(n.sections);
  if (names.size === 0) {
    console.log(`\n${named} has no function names: no per-crate break-down.`);
  } else {
    const imported = importedFunctions(n.sections);
    const sizes = bodySizes(n.sections);
    const total = sizes.reduce((a, b) => a + b, 0);
    const byCrate = new Map();
    const fns = sizes.map((size, i) => {
      const name = names.get(imported + i) ?? `func[${imported + i}]`;
      const c = pathOf(name, DEPTH);
      byCrate.set(c, (byCrate.get(c) ?? 0) + size);
      return { name: demangle(name), size };
    });
    console.log(`\ncode by crate (from the names in ${named}; code section ${kb(total)} before wasm-opt):`);
    for (const [c, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
      console.log(`  ${c.padEnd(32)} ${String(size).padStart(9)} B  ${pct(size, total).padStart(6)}`);
    }
    const data = n.sections.find((s) => s.id === 11);
    if (data) console.log(`  (data segments, i.e. string literals and tables: ${data.size} B)`);
    console.log(`\nlargest ${TOP} functions:`);
    for (const f of fns.sort((a, b) => b.size - a.size).slice(0, TOP)) {
      console.log(`  ${String(f.size).padStart(7)} B  ${f.name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 150)}`);
    }
  }
}
