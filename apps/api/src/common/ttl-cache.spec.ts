import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('loads once per key within the time to live, shares concurrent loads, and forgets failures', async () => {
    const sut = new TtlCache<string, number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([sut.get('a', load), sut.get('a', load)])).toEqual([1, 1]);
    expect(await sut.get('b', load)).toBe(2);
    await expect(sut.get('c', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((r) => setImmediate(r));
    expect(await sut.get('c', load)).toBe(3);
  });

  it('reloads after the time to live', async () => {
    const sut = new TtlCache<string, number>(1);
    let loads = 0;
    await sut.get('a', async () => ++loads);
    await new Promise((r) => setTimeout(r, 5));
    expect(await sut.get('a', async () => ++loads)).toBe(2);
  });
});
