import { encryptWithApiV3Key } from '../crypto/aead.ts';
import type { MerchantIdentity } from '../identity/merchants.ts';
import { formatRfc3339 } from '../time/shanghai-time.ts';

/** GET /v3/certificates: the merchant's platform certificates, each encrypted with its APIv3 key (AAD "certificate"). */
export function certificatesJson(merchant: MerchantIdentity): Record<string, unknown> {
  return {
    data: [
      {
        effective_time: formatRfc3339(merchant.platformEffectiveTime),
        encrypt_certificate: encryptWithApiV3Key(merchant.platformCertificatePem, merchant.apiV3Key, 'certificate'),
        expire_time: formatRfc3339(merchant.platformExpireTime),
        serial_no: merchant.platformCertificateSerial,
      },
    ],
  };
}
