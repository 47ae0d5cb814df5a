import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the console (vite build of apps/web); the API runs from the project root. */
export const WEB_ROOT = join(process.cwd(), 'dist', 'web');

/**
 * The web console: its files at / (index.html, hashed /assets/*, cached for good) and index.html for
 * every page under /app/ (client-side routes). No API route lives at / or under /app/ or /assets/,
 * so none is shadowed; /docs, /docs-json and /queues are mounted separately.
 */
export function serveWebConsole(app: NestExpressApplication): void {
  const index = join(WEB_ROOT, 'index.html');
  app.useStaticAssets(WEB_ROOT, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res: Response, path: string) => {
      res.setHeader('Cache-Control', path.startsWith(join(WEB_ROOT, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use('/app', (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
