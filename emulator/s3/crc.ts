/**
 * CRC-32C and CRC-64/NVME, two of S3's flexible checksums that Node does not provide (CRC-32 is
 * zlib.crc32). Table-driven, one byte per step: enough for an emulator, and only used when a
 * client picks these algorithms.
 */

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** Continues a CRC-32C over data; start with 0, as zlib.crc32 does. */
export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = (crc >>> 8) ^ (CRC32C_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0);
  }
  return ~crc >>> 0;
}

// CRC-64/NVME is reflected with polynomial 0x9a6c9329ac4bc9b5; each entry is kept as two
// 32-bit halves so the loop runs on plain numbers rather than BigInt.
const CRC64_HIGH = new Uint32Array(256);
const CRC64_LOW = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = BigInt(i);
  for (let bit = 0; bit < 8; bit++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
  CRC64_HIGH[i] = Number(c >> 32n);
  CRC64_LOW[i] = Number(c & 0xffffffffn);
}

/** Incremental CRC-64/NVME (init and final xor all ones), digest big-endian as S3 sends it. */
export class Crc64Nvme {
  #high = 0xffffffff;
  #low = 0xffffffff;

  update(data: Uint8Array): void {
    let high = this.#high;
    let low = this.#low;
    for (let i = 0; i < data.length; i++) {
      const index = (low ^ (data[i] ?? 0)) & 0xff;
      low = ((low >>> 8) | (high << 24)) ^ (CRC64_LOW[index] ?? 0);
      high = (high >>> 8) ^ (CRC64_HIGH[index] ?? 0);
    }
    this.#high = high >>> 0;
    this.#low = low >>> 0;
  }

  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(~this.#high >>> 0, 0);
    out.writeUInt32BE(~this.#low >>> 0, 4);
    return out;
  }
}
