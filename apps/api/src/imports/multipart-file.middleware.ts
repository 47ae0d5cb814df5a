import { Injectable, PayloadTooLargeException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { DomainError } from '#domain';
import { MAX_IMPORT_BYTES, MAX_IMPORT_SIZE } from './csv-table.js';

/** The form field of a multipart/form-data import that carries the CSV file. */
export const FILE_FIELD = 'file';

const readOneFile = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 20 } }).single(FILE_FIELD);

/** Multer's refusals as problems: a file too large is 413, anything else about the form is the caller's to fix (422). */
function uploadProblem(err: unknown): Error {
  if (err instanceof MulterError && err.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeException(`The file is larger than ${MAX_IMPORT_SIZE}`);
  if (err instanceof MulterError) return DomainError.rule('IMPORT_FILE_MISSING', FILE_FIELD, `Send one CSV file in the form field "${FILE_FIELD}" (${err.message})`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * An import's file may come as the text/csv body (curl --data-binary) or as a multipart/form-data
 * upload in the field `file` (a browser form, or a generated client that uploads files that way).
 * Either way the route gets the file's bytes as the body, read before the guards and the
 * Idempotency-Key see the request, so a key binds to the file as it does to a JSON body.
 */
@Injectable()
export class MultipartFileMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (!req.is('multipart/form-data')) return next();
    readOneFile(req, res, (err: unknown) => {
      if (err) return next(uploadProblem(err));
      if (!req.file) return next(DomainError.rule('IMPORT_FILE_MISSING', FILE_FIELD, `Send the CSV file in the form field "${FILE_FIELD}"`));
      req.body = req.file.buffer;
      next();
    });
  }
}
