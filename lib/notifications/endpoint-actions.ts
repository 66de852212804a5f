"use server";

import { defineAction } from "../auth/define-action";
import { createEndpointSchema, endpointIdSchema, replaySchema, setEnabledSchema } from "./endpoint-schema";
import { createEndpoint, deleteEndpoint, replayDelivery, rotateEndpointSecret, sendTestEvent, setEndpointEnabled } from "./endpoints";

export const createEndpointAction = defineAction(
  { name: "webhook.create", permission: "webhooks.manage", schema: createEndpointSchema, resourceType: "webhook_endpoint" },
  (input, { user }) => createEndpoint(input, { type: "user", id: user.id, role: user.role }),
);

export const setEndpointEnabledAction = defineAction(
  { name: "webhook.set_enabled", permission: "webhooks.manage", schema: setEnabledSchema, resourceType: "webhook_endpoint" },
  ({ id, enabled }, { actor }) => setEndpointEnabled(id, enabled, actor),
);

export const rotateEndpointSecretAction = defineAction(
  { name: "webhook.rotate_secret", permission: "webhooks.manage", schema: endpointIdSchema, resourceType: "webhook_endpoint" },
  ({ id }, { actor }) => rotateEndpointSecret(id, actor),
);

export const deleteEndpointAction = defineAction(
  { name: "webhook.delete", permission: "webhooks.manage", schema: endpointIdSchema, resourceType: "webhook_endpoint" },
  ({ id }, { actor }) => deleteEndpoint(id, actor),
);

export const sendTestEventAction = defineAction(
  { name: "webhook.test", permission: "webhooks.manage", schema: endpointIdSchema, resourceType: "webhook_endpoint" },
  ({ id }, { actor }) => sendTestEvent(id, actor),
);

export const replayDeliveryAction = defineAction(
  { name: "webhook.replay", permission: "webhooks.manage", schema: replaySchema, resourceType: "notification_delivery" },
  ({ deliveryId }, { actor }) => replayDelivery(deliveryId, actor),
);
