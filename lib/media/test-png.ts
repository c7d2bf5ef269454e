import zlib from "node:zlib";

/** CRC-32 as PNG chunks use it (node:zlib's). */
export function zlib_crc32(data: Uint8Array): number {
  return (zlib as unknown as { crc32(data: Uint8Array): number }).crc32(data);
}
