/**
 * Pure helpers of the push fan-out, apart from the trigger so tests import them directly:
 * the one narrow sender interface (the part of Admin SDK messaging the function uses), batching,
 * and what a failed send means for the channel it went to.
 */
import { FCM, type FcmMessage } from './fcm-message.js';

/** A message's outcome as Admin SDK `sendEach` reports it (SendResponse, trimmed). */
export interface SendOutcome {
  success: boolean;
  error?: { code: string; message?: string };
}

/**
 * Everything the function needs from FCM: Admin SDK `Messaging.sendEach` (at most 500 messages
 * per call, one outcome per message in order). Production passes getMessaging(); tests and the
 * functions emulator pass stand-ins (FCM has no emulator).
 */
export interface PushSender {
  sendEach(messages: FcmMessage<Record<string, string>>[]): Promise<{ responses: SendOutcome[] }>;
}

/** A push channel as stored in `channels/{sha256hex(token)}`, the fields the fan-out reads. */
export interface ChannelRef {
  id: string;
  token: string;
  deviceId: string;
  /** As the person named the device in My devices ("" when none). */
  deviceName?: string;
}

/** Splits into consecutive batches of at most `size` (FCM's sendEach takes 500 at most). */
export function batches<T>(items: readonly T[], size: number = FCM.MAX_BATCH): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The channels a note goes to: every valid one but the device that wrote the note. */
export function recipients(channels: readonly ChannelRef[], writerDeviceId: string): ChannelRef[] {
  return channels.filter((channel) => channel.token !== '' && channel.deviceId !== writerDeviceId);
}

export type SendVerdict = 'sent' | 'drop-channel' | 'keep';

/**
 * What a send outcome means for its channel. The token is gone for good when FCM says it is not
 * registered (app uninstalled, permission revoked, token rotated) or is not a token at all: such
 * channels are deleted. invalid-argument also covers a malformed *message*, which must not cost
 * every device its channel, so it counts only when the error names the token.
 * Anything else (quota, unavailable, internal) is transient: keep the channel.
 */
export function classifySendOutcome(outcome: SendOutcome | undefined): SendVerdict {
  if (!outcome) return 'keep';
  if (outcome.success) return 'sent';
  const code = outcome.error?.code ?? '';
  if (code === 'messaging/registration-token-not-registered' || code === 'messaging/invalid-registration-token') {
    return 'drop-channel';
  }
  if (code === 'messaging/invalid-argument' && /registration token|token/i.test(outcome.error?.message ?? '')) {
    return 'drop-channel';
  }
  return 'keep';
}
