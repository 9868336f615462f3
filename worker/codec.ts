/**
 * Encrypts every payload the bridge sends to Temporal (workflow inputs, results, activity arguments,
 * memos, signals, updates, failure details) with AES-256-GCM, so emails and names never sit in
 * Temporal history in plain text. The whole original Payload (metadata included) is protobuf-encoded
 * and encrypted; the stored payload says only `encoding: binary/encrypted` and which key encrypted it.
 *
 * Layout of the encrypted data: 12-byte IV, ciphertext, 16-byte GCM tag: the same layout as
 * webcrypto's AES-GCM output, so Temporal's encryption samples and this codec read each other's data.
 *
 * Rotation: encode with the first key, decode with whichever key id the payload names. Add a new key
 * in front, deploy, and keep the old one in the list until no open history still needs it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { CodecKey } from './config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCODING_KEY = 'encoding';
export const METADATA_KEY_ID_KEY = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class CodecKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecKeyError';
  }
}

function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(data: Uint8Array, key: Buffer): Buffer {
  if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is too short');
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && fromUtf8.decode(encoding) === ENCRYPTED_ENCODING;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: CodecKey;

  constructor(keys: CodecKey[]) {
    const [first] = keys;
    if (!first) throw new CodecKeyError('the payload codec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new CodecKeyError(`codec key "${id}" must be 32 bytes (AES-256)`);
    }
    this.current = first;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID_KEY]: utf8.encode(this.current.id),
      },
      data: encrypt(proto.temporal.api.common.v1.Payload.encode(payload).finish(), this.current.key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // History written before encryption was enabled stays readable.
      if (!isEncrypted(payload)) return payload;
      const keyIdBytes = payload.metadata?.[METADATA_KEY_ID_KEY];
      const keyId = keyIdBytes ? fromUtf8.decode(keyIdBytes) : '';
      const key = this.byId.get(keyId);
      if (!key) throw new CodecKeyError(`no codec key with id "${keyId}" (was it removed from CODEC_KEYS too early?)`);
      let plain: Buffer;
      try {
        plain = decrypt(payload.data ?? new Uint8Array(), key);
      } catch {
        throw new CodecKeyError(`payload could not be decrypted with codec key "${keyId}"`);
      }
      return proto.temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The data converter for Client and Worker alike: encrypted when keys are configured, plain otherwise. */
export function dataConverterFor(keys: CodecKey[]): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: keys.length ? [new AesGcmPayloadCodec(keys)] : [] };
}
