// A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record) for the
// QTI content package. Node has deflate and CRC-32 built in, so this is a few dozen lines rather
// than a dependency; it writes only what a package needs: files, deflated, UTF-8 names.
import zlib from 'node:zlib';

// A fixed time stamp (1980-01-01 00:00, the earliest DOS date) keeps the same bank's package
// byte-for-byte the same.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

type Field = [bytes: 2 | 4, value: number];

function pack(fields: readonly Field[]): Buffer {
  const b = Buffer.alloc(fields.reduce((n, [size]) => n + size, 0));
  let o = 0;
  for (const [size, value] of fields) {
    if (size === 2) b.writeUInt16LE(value, o);
    else b.writeUInt32LE(value, o);
    o += size;
  }
  return b;
}

export function zip(files: readonly { name: string; data: string | Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const raw = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
    const data = zlib.deflateRawSync(raw);
    const name = Buffer.from(file.name, 'utf8');
    // From "version needed" to "extra field length", the local and the central header agree.
    const shared: Field[] = [
      [2, 20],
      [2, UTF8_NAMES],
      [2, 8],
      [2, DOS_TIME],
      [2, DOS_DATE],
      [4, zlib.crc32(raw)],
      [4, data.length],
      [4, raw.length],
      [2, name.length],
      [2, 0],
    ];
    const head = pack([[4, 0x04034b50], ...shared]);
    locals.push(head, name, data);
    central.push(pack([[4, 0x02014b50], [2, 20], ...shared, [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]]), name);
    offset += head.length + name.length + data.length;
  }
  const dirBytes = central.reduce((n, b) => n + b.length, 0);
  const end = pack([
    [4, 0x06054b50],
    [2, 0],
    [2, 0],
    [2, files.length],
    [2, files.length],
    [4, dirBytes],
    [4, offset],
    [2, 0],
  ]);
  return Buffer.concat([...locals, ...central, end]);
}
