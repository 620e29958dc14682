/**
 * The channels: one module per receiver type, each a `build…Request` (pure, tested against the vendor's documented
 * shape) and a sender. `sendToReceiver` dispatches by type and never throws: whatever goes wrong is a SendResult.
 */
import type { SendResult, SendToReceiver } from "../message";
import { sendArmRoleEmail } from "./arm-role-email";
import { sendEmail } from "./email";
import { sendOpsgenie } from "./opsgenie";
import { sendPagerDuty } from "./pagerduty";
import { sendSlack } from "./slack";
import { sendTeams } from "./teams";
import { sendSms, sendVoice } from "./twilio";
import { sendWebhook } from "./webhook";

export const sendToReceiver: SendToReceiver = async (receiver, message, ctx): Promise<SendResult> => {
  try {
    switch (receiver.type) {
      case "webhook":
        return await sendWebhook(receiver, message, ctx);
      case "slack":
        return await sendSlack(receiver, message, ctx);
      case "teams":
        return await sendTeams(receiver, message, ctx);
      case "pagerduty":
        return await sendPagerDuty(receiver, message, ctx);
      case "opsgenie":
        return await sendOpsgenie(receiver, message, ctx);
      case "email":
        return await sendEmail(receiver, message, ctx);
      case "armRoleEmail":
        return await sendArmRoleEmail(receiver, message, ctx);
      case "sms":
        return await sendSms(receiver, message, ctx);
      case "voice":
        return await sendVoice(receiver, message, ctx);
      default:
        return { outcome: "failed", error: `unknown receiver type ${String((receiver as { type?: unknown }).type).slice(0, 40)}`, latencyMs: 0 };
    }
  } catch (e) {
    // a bug, not the receiver's answer: say which channel, never the message (it may quote a secret)
    return { outcome: "failed", error: `the ${receiver.type} channel failed unexpectedly (${e instanceof Error ? e.name : "error"})`, latencyMs: 0 };
  }
};

export { endpointKeyOf, endpointTarget } from "./endpoint-key";
export { buildWebhookRequest, digestPayload, signBody, DELIVERY_HEADER, KIND_HEADER, SIGNATURE_HEADER } from "./webhook";
export { buildSlackMessage, buildSlackRequest } from "./slack";
export { buildTeamsCard, buildTeamsRequest } from "./teams";
export { buildPagerDutyEvent, buildPagerDutyRequest } from "./pagerduty";
export { buildOpsgenieCreate, buildOpsgenieRequest } from "./opsgenie";
export { buildSmsRequest, buildVoiceRequest } from "./twilio";
