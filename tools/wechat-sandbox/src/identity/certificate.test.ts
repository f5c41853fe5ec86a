import test from 'ava';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import Pay from 'wechatpay-node-v3';
import { createSelfSignedCertificate, newCertificateSerial } from './certificate.ts';
import { objectIdentifier, time, unsignedInteger } from './der.ts';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

function certificate(serialNo: string): string {
  return createSelfSignedCertificate({
    subject: { commonName: '1900000109', organization: 'CampusPay 示范学校', organizationalUnit: 'WeChat Pay Sandbox' },
    serialNo,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2051-06-01T00:00:00Z'),
  });
}

test('Node parses the certificate: serial, subject, validity, self-signature', (t) => {
  const serialNo = newCertificateSerial();
  t.regex(serialNo, /^[1-7][0-9A-F]{39}$/);
  const parsed = new X509Certificate(certificate(serialNo));
  t.is(parsed.serialNumber, serialNo);
  t.true(parsed.subject.includes('CN=1900000109'));
  t.true(parsed.subject.includes('O=CampusPay 示范学校'));
  t.is(parsed.issuer, parsed.subject);
  t.is(new Date(parsed.validFrom).toISOString(), '2025-01-01T00:00:00.000Z');
  t.is(new Date(parsed.validTo).toISOString(), '2051-06-01T00:00:00.000Z', 'GeneralizedTime after 2049');
  t.true(parsed.verify(keys.publicKey));
  t.false(parsed.ca);
  t.is(parsed.publicKey.export({ type: 'spki', format: 'pem' }), keys.publicKey.export({ type: 'spki', format: 'pem' }));
});

test('wechatpay-node-v3 reads the serial with its own parser (@fidm/x509)', (t) => {
  const serialNo = newCertificateSerial();
  const pem = certificate(serialNo);
  const client = new Pay({ appid: 'wx0000000000000000', mchid: '1900000109', publicKey: Buffer.from(pem), privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as Buffer });
  t.is(client.getSN(pem), serialNo.toLowerCase());
});

test('DER pieces match their X.690 encodings', (t) => {
  t.is(objectIdentifier('1.2.840.113549.1.1.11').toString('hex'), '06092a864886f70d01010b');
  t.is(unsignedInteger(Buffer.from([0x80])).toString('hex'), '02020080', 'a high bit gets a zero byte so the integer stays positive');
  t.is(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])).toString('hex'), '02017f', 'leading zeros are dropped');
  t.is(time(new Date('2049-12-31T23:59:59Z')).toString('latin1'), '\x17\x0d491231235959Z');
  t.is(time(new Date('2050-01-01T00:00:00Z')).toString('latin1'), '\x18\x0f20500101000000Z');
});
