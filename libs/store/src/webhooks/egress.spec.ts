import { checkWebhookUrl, egressPolicy, isInternalAddress, resolveWebhookTarget, type Resolver } from './egress.js';

const strict = egressPolicy({ WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: '' });

describe('webhook egress rules', () => {
  it.each([
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:169.254.169.254', '::127.0.0.1', '64:ff9b::a00:1', '[::1]', 'not-an-address',
  ])('treats %s as internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('treats %s as public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  it('accepts https only, unless http is configured, and no credentials in the URL', () => {
    expect(checkWebhookUrl('https://erp.example.com/hook', strict).hostname).toBe('erp.example.com');
    expect(() => checkWebhookUrl('http://erp.example.com/hook', strict)).toThrow('https');
    expect(() => checkWebhookUrl('ftp://erp.example.com/', strict)).toThrow();
    expect(() => checkWebhookUrl('https://u:p@erp.example.com/', strict)).toThrow('user name');
    expect(() => checkWebhookUrl('not a url', strict)).toThrow();
    expect(checkWebhookUrl('http://erp.example.com/', { ...strict, allowHttp: true }).protocol).toBe('http:');
  });

  it('refuses a host if any address it resolves to is internal, unless the host is allow-listed', async () => {
    const resolve: Resolver = async (host) => (host === 'mixed.example' ? [{ address: '8.8.8.8', family: 4 }, { address: '10.0.0.7', family: 4 }] : [{ address: '8.8.4.4', family: 4 }]);
    await expect(resolveWebhookTarget(new URL('https://mixed.example/'), strict, resolve)).rejects.toThrow('public address');
    await expect(resolveWebhookTarget(new URL('https://ok.example/'), strict, resolve)).resolves.toEqual([{ address: '8.8.4.4', family: 4 }]);
    await expect(resolveWebhookTarget(new URL('https://[::ffff:127.0.0.1]/'), strict, resolve)).rejects.toThrow('public address');
    await expect(resolveWebhookTarget(new URL('https://0x7f.1/'), strict, resolve)).rejects.toThrow('public address');
    const allowing = egressPolicy({ WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOWED_HOSTS: 'Mixed.Example., erp.internal' });
    await expect(resolveWebhookTarget(new URL('https://mixed.example/'), allowing, resolve)).resolves.toHaveLength(2);
  });
});
