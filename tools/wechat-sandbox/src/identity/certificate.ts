import { randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  namedBitString,
  nullValue,
  objectIdentifier,
  octetString,
  printableString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.ts';

const OID = {
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  countryName: '2.5.4.6',
  stateOrProvinceName: '2.5.4.8',
  localityName: '2.5.4.7',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
} as const;

export interface CertificateSubject {
  commonName: string;
  organization: string;
  organizationalUnit: string;
}

export interface CertificateRequest {
  subject: CertificateSubject;
  /** Uppercase hex, as WeChat prints serial_no. */
  serialNo: string;
  publicKey: KeyObject;
  /** Signs the certificate; the certificate is self-signed, so it is the subject's own key. */
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

/**
 * A fresh 20-byte serial like WeChat's (e.g. 5157F09EFDC096DE15EBE81A47057A7232F1B8E1).
 * The first byte is kept in 0x10..0x7f so the DER INTEGER needs no sign byte and
 * every parser (Node, @fidm/x509 in wechatpay-node-v3, OpenSSL) prints the same
 * 40 hex digits.
 */
export function newCertificateSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x10 + ((bytes[0] ?? 0) % 0x70);
  return bytes.toString('hex').toUpperCase();
}

function distinguishedName(subject: CertificateSubject): Buffer {
  const attribute = (oid: string, value: Buffer): Buffer => set(sequence(objectIdentifier(oid), value));
  return sequence(
    attribute(OID.countryName, printableString('CN')),
    attribute(OID.stateOrProvinceName, utf8String('Guangdong')),
    attribute(OID.localityName, utf8String('Shenzhen')),
    attribute(OID.organizationName, utf8String(subject.organization)),
    attribute(OID.organizationalUnitName, utf8String(subject.organizationalUnit)),
    attribute(OID.commonName, utf8String(subject.commonName)),
  );
}

function extensions(): Buffer {
  const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
    sequence(objectIdentifier(oid), boolean(critical), octetString(value));
  return explicit(
    3,
    sequence(
      // End-entity certificate, like a merchant API or platform certificate.
      extension(OID.basicConstraints, true, sequence()),
      // digitalSignature(0), nonRepudiation(1), keyEncipherment(2).
      extension(OID.keyUsage, true, namedBitString([0, 1, 2])),
    ),
  );
}

/** A self-signed X.509 v3 certificate (SHA256withRSA) as PEM. */
export function createSelfSignedCertificate(request: CertificateRequest): string {
  if (!/^[0-9A-F]+$/.test(request.serialNo)) throw new Error(`certificate serial must be uppercase hex: ${request.serialNo}`);
  const algorithm = sequence(objectIdentifier(OID.sha256WithRsaEncryption), nullValue());
  const name = distinguishedName(request.subject);
  const subjectPublicKeyInfo = request.publicKey.export({ type: 'spki', format: 'der' });
  const tbsCertificate = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(Buffer.from(request.serialNo, 'hex')),
    algorithm,
    name,
    sequence(time(request.notBefore), time(request.notAfter)),
    name,
    subjectPublicKeyInfo,
    extensions(),
  );
  const signature = sign('sha256', tbsCertificate, request.privateKey);
  const der = sequence(tbsCertificate, algorithm, bitString(signature));
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
