// Adds the lockfile entries npm leaves out when the registry serves only this platform's builds of
// native packages (e.g. @swc/core-darwin-arm64): without them `npm ci` refuses the lockfile. Each
// entry is an optional package for another OS or CPU, so npm records it and never installs it here.
// Usage: node tools/complete-lockfile.mjs   (after npm install; idempotent)
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('arm') ? 'arm' : undefined);
  const libc = parts.find((p) => p === 'musl' || p === 'musleabihf') ? ['musl'] : parts.some((p) => p === 'gnu' || p === 'gnueabihf' || p === 'glibc') ? ['glibc'] : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${path}/node_modules/${name}`]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os || !cpu) continue; // not a platform build: leave it to npm
    if (os === process.platform && cpu === process.arch) throw new Error(`${name} is for this platform and missing: run npm install`);
    packages[key] = {
      version: String(spec).replace(/^[\^~=v]/, ''),
      cpu: [cpu],
      ...(libc ? { libc } : {}),
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} lockfile entries for other platforms' optional builds`);
