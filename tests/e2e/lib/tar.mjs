// Reads a .tar.gz in memory: ustar names (with prefix), GNU long names ('L') and pax 'path' records.
// Returns [{ path, type: 'file' | 'dir', mode, content: Buffer }] in archive order.
import zlib from 'node:zlib';

const str = (buf, start, len) => {
  const b = buf.subarray(start, start + len);
  const nul = b.indexOf(0);
  return (nul < 0 ? b : b.subarray(0, nul)).toString('utf8');
};
const octal = (buf, start, len) => parseInt(str(buf, start, len).trim() || '0', 8);

export function readTarGz(bytes) {
  const tar = zlib.gunzipSync(bytes);
  const entries = [];
  let longName = null;
  let paxPath = null;
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const stored = octal(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (sum !== stored) throw new Error(`tar: bad header checksum at offset ${off}`);
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 48);
    const magic = str(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? str(h, 345, 155) : '';
    let name = str(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = str(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      for (const rec of body.toString('utf8').split('\n')) {
        const m = /^\d+ path=(.*)$/.exec(rec);
        if (m) paxPath = m[1];
      }
      continue;
    }
    if (type === 'g') continue;
    const path = paxPath ?? longName ?? name;
    longName = paxPath = null;
    entries.push({
      path,
      type: type === '5' ? 'dir' : type === '0' ? 'file' : `type-${type}`,
      mode: octal(h, 100, 8) & 0o7777,
      content: Buffer.from(body),
    });
  }
  return entries;
}
