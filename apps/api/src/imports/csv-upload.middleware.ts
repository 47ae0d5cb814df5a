import { Injectable, PayloadTooLargeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError, type StorageEngine } from 'multer';
import { DomainError } from '#domain';
import { MAX_IMPORT_BYTES, MAX_IMPORT_SIZE } from './csv-table.js';
import { CsvUpload, readCsvUpload } from './csv-upload.js';

/** The form field of a multipart/form-data import that carries the CSV file. */
export const FILE_FIELD = 'file';

/** Multer storage that keeps no file: the part is read as CSV while it arrives (csv-upload.ts). */
const csvStorage: StorageEngine = {
  _handleFile(_req, file, done) {
    readCsvUpload(file.stream).then(
      (upload) => done(null, { upload } as Partial<Express.Multer.File>),
      (err: unknown) => done(err),
    );
  },
  _removeFile(_req, _file, done) {
    done(null);
  },
};

const readFormFile = multer({ storage: csvStorage, limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 20 } }).single(FILE_FIELD);

/** Multer's refusals as problems: a file too large is 413, anything else about the form is the caller's to fix (422). */
function formProblem(err: unknown): unknown {
  if (err instanceof MulterError && err.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeException(`The file is larger than ${MAX_IMPORT_SIZE}`);
  if (err instanceof MulterError) return DomainError.rule('IMPORT_FILE_MISSING', FILE_FIELD, `Send one CSV file in the form field "${FILE_FIELD}" (${err.message})`);
  return err;
}

const charsetOf = (contentType: string | undefined) => /;\s*charset="?([^";]+)"?/i.exec(contentType ?? '')?.[1];

/**
 * Reads an import's file as it arrives, into `req.body` as a CsvUpload: the text/csv body
 * (curl --data-binary) with its declared charset, or the field `file` of a multipart/form-data
 * upload (a browser form, or a generated client that uploads files that way). It runs before the
 * guards and the Idempotency-Key see the request, as a body parser does, so a key binds to the
 * file; a request with no credential at all is left for the guard to refuse unread.
 */
@Injectable()
export class CsvUploadMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const credentialed = req.headers.authorization !== undefined || req.headers.cookie !== undefined;
    if (!credentialed) return next();
    if (req.is('text/csv')) {
      const length = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      readCsvUpload(req, charsetOf(req.headers['content-type']), MAX_IMPORT_BYTES, length).then((upload) => {
        req.body = upload;
        next();
      }, next);
      return;
    }
    if (!req.is('multipart/form-data')) return next();
    readFormFile(req, res, (err: unknown) => {
      if (err) return next(formProblem(err));
      const upload = (req.file as (Express.Multer.File & { upload?: CsvUpload }) | undefined)?.upload;
      if (!upload) return next(DomainError.rule('IMPORT_FILE_MISSING', FILE_FIELD, `Send the CSV file in the form field "${FILE_FIELD}"`));
      req.body = upload;
      next();
    });
  }
}
