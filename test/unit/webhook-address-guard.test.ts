// Which webhook targets are refused: the address classifier, and the check of every address a name resolves to.
import { expect } from 'chai';
import { classifyAddress, checkTarget, TargetRefused } from '../../src/webhooks/address-guard.ts';
import { loadConfig } from '../../src/config.ts';

const off = { allowPrivate: false };
const resolvesTo = (...addresses: string[]) => (async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never;

describe('the webhook address classifier', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['0:0:0:0:0:ffff:a00:1', 'private'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['8.8.8.8', 'public'], ['172.32.0.1', 'public'], ['172.15.255.255', 'public'], ['192.169.0.1', 'public'], ['2001:4860:4860::8888', 'public'], ['::ffff:8.8.8.8', 'public'],
  ];
  for (const [address, kind] of cases) it(`counts ${address} as ${kind}`, () => expect(classifyAddress(address)).to.equal(kind));

  it('refuses what is not an address', () => expect(() => classifyAddress('example.com')).to.throw(/not an IP address/));
});

describe('the webhook target check', () => {
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: Error) => (e instanceof TargetRefused ? e.message : Promise.reject(e)));

  it('refuses a name when any one of its addresses is private, and connects to a checked one', async () => {
    expect(await refusal(checkTarget('https://hooks.example.com/x', off, resolvesTo('93.184.216.34', '10.0.0.7')))).to.match(/private network/);
    const ok = await checkTarget('https://hooks.example.com/x', off, resolvesTo('93.184.216.34'));
    expect(ok.address).to.equal('93.184.216.34');
  });

  it('refuses http, literal loopback addresses and names that do not resolve unless allowed', async () => {
    expect(await refusal(checkTarget('http://hooks.example.com/', off, resolvesTo('93.184.216.34')))).to.match(/https/);
    expect(await refusal(checkTarget('https://127.0.0.1:8443/', off))).to.match(/loopback/);
    expect(await refusal(checkTarget('https://[::1]/', off))).to.match(/loopback/);
    expect(await refusal(checkTarget('https://[::ffff:127.0.0.1]/', off))).to.match(/loopback/);
    expect(await refusal(checkTarget('https://nowhere.invalid/', off, (async () => { throw new Error('ENOTFOUND'); }) as never))).to.match(/cannot be found/);
    expect(await refusal(checkTarget('not a url', off))).to.match(/full address/);
    expect((await checkTarget('http://127.0.0.1:9/', { allowPrivate: true })).address).to.equal('127.0.0.1');
  });
});

describe('TROIKA_WEBHOOKS_ALLOW_PRIVATE', () => {
  it('is off unless set to true, and a wrong value stops the start naming it', () => {
    expect(loadConfig({}).webhooksAllowPrivate).to.equal(false);
    expect(loadConfig({ TROIKA_WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooksAllowPrivate).to.equal(true);
    expect(() => loadConfig({ TROIKA_WEBHOOKS_ALLOW_PRIVATE: 'yes' })).to.throw(/TROIKA_WEBHOOKS_ALLOW_PRIVATE/);
  });
});
