import { PayloadTooLargeException } from '@nestjs/common';
import { parse, type Parser } from 'csv-parse';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DomainError } from '#domain';
import { MAX_IMPORT_BYTES, MAX_IMPORT_SIZE } from './csv-table.js';

/**
 * An uploaded CSV file, read as it arrived: its records (cells as text, one array per row as a
 * spreadsheet numbers them), and what identifies the file (its SHA-256 and size, for the audit
 * entry and the Idempotency-Key).
 */
export class CsvUpload {
  constructor(
    readonly records: string[][],
    readonly sha256: string,
    readonly bytes: number,
  ) {}

  /** What an Idempotency-Key binds to (its request hash is the JSON of the body): the file, not its rows. */
  toJSON(): { file: string; bytes: number } {
    return { file: this.sha256, bytes: this.bytes };
  }
}

/**
 * A row longer than this is refused as malformed (a row of these files is 40–400 bytes): a file
 * that is one endless cell fails at once instead of being gathered up to the file limit.
 */
const MAX_ROW_BYTES = 64 * 1024;

const SUPPORTED_CHARSETS = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['gbk', 'gbk'],
  ['gb2312', 'gb2312'],
  ['gb18030', 'gb18030'],
]);

/**
 * Reads a CSV file from a stream as it arrives: bytes are counted (413 past the limit), hashed,
 * decoded and parsed chunk by chunk, so only the records are kept, not the file.
 *
 * The charset is the declared one if any (utf-8, gbk, gb2312, gb18030). Otherwise the file is read
 * as UTF-8 (a BOM is dropped) while its bytes are kept, and if it turns out not to be valid UTF-8 it
 * is read again from those bytes as GB18030, which is what Excel's plain "CSV" saves on Chinese
 * Windows; only such undeclared files are held whole until their end.
 */
export function readCsvUpload(source: Readable, declaredCharset?: string, limit = MAX_IMPORT_BYTES, declaredLength?: number): Promise<CsvUpload> {
  if (declaredLength !== undefined && declaredLength > limit) {
    source.resume(); // a Content-Length past the limit is refused before a byte is read
    return Promise.reject(new PayloadTooLargeException(`The file is larger than ${MAX_IMPORT_SIZE}`));
  }
  const declared = declaredCharset?.trim().toLowerCase();
  if (declared && !SUPPORTED_CHARSETS.has(declared)) {
    return Promise.reject(
      new DomainError('invalid', 'IMPORT_ENCODING_UNSUPPORTED', `Charset ${declared} is not supported; send UTF-8 (or GBK/GB18030)`, [
        { field: 'Content-Type', reason: 'charset must be utf-8, gbk, gb2312 or gb18030' },
      ]),
    );
  }
  const encodings = declared ? [SUPPORTED_CHARSETS.get(declared)!] : ['utf-8', 'gb18030'];

  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let held: Buffer[] | null = encodings.length > 1 ? [] : null; // kept only while the charset may still change
    let attempt = 0;
    let decoder = new TextDecoder(encodings[0], { fatal: true });
    let table = tableParser();
    let settled = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      table.parser.destroy();
      source.removeListener('data', onData);
      source.resume(); // the rest of the body is read and dropped, so the answer can still be sent
      reject(err);
    };

    /** Decodes a chunk (or the end) into the parser; on the first byte that is not UTF-8, starts over as GB18030. */
    const feed = (chunk: Buffer | undefined) => {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: chunk !== undefined });
      } catch {
        if (!held || attempt + 1 >= encodings.length) throw DomainError.rule('IMPORT_ENCODING_INVALID', 'body', `The file is not valid ${encodings.join(' or ')} text`);
        attempt++;
        decoder = new TextDecoder(encodings[attempt], { fatal: true });
        table.parser.destroy();
        table = tableParser();
        const all = Buffer.concat(held);
        held = null;
        feed(all);
        if (chunk === undefined) feed(undefined);
        return;
      }
      if (text) table.parser.write(text);
    };

    const onData = (chunk: Buffer) => {
      if (settled) return;
      bytes += chunk.length;
      if (bytes > limit) return fail(new PayloadTooLargeException(`The file is larger than ${MAX_IMPORT_SIZE}`));
      hash.update(chunk);
      held?.push(chunk);
      try {
        feed(chunk);
      } catch (err) {
        fail(err);
      }
    };

    source.on('data', onData);
    source.once('error', fail);
    source.once('end', () => {
      if (settled) return;
      try {
        feed(undefined);
      } catch (err) {
        return fail(err);
      }
      const { parser, records } = table;
      parser.once('end', () => {
        if (settled) return;
        settled = true;
        resolve(new CsvUpload(records, hash.digest('hex'), bytes));
      });
      parser.end();
    });

    /** A CSV parser whose records are collected; a malformed file fails the read with its row. */
    function tableParser(): { parser: Parser; records: string[][] } {
      const records: string[][] = [];
      const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: true, max_record_size: MAX_ROW_BYTES });
      parser.on('readable', () => {
        let record: string[] | null;
        while ((record = parser.read() as string[] | null) !== null) records.push(record);
      });
      parser.on('error', (err: Error) => {
        if (parser !== table.parser) return; // an abandoned first reading
        const row = records.length + 1;
        const message = err.message.replace(/^Invalid [^:]*: /, '');
        fail(new DomainError('unprocessable', 'IMPORT_CSV_MALFORMED', `The file is not well-formed CSV near row ${row}: ${message}`, [{ field: `row ${row}`, reason: message }]));
      });
      return { parser, records };
    }
  });
}
