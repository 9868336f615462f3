/** The `contact.propertyChange` event HubSpot sends when a contact reaches the MQL lifecycle stage. */
export function mqlWebhookEvent(input: { portalId: string; contactId: string; eventId: number }): Record<string, unknown> {
  return {
    eventId: input.eventId,
    subscriptionId: 1,
    portalId: Number(input.portalId),
    appId: 1,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: Number(input.contactId),
    propertyName: 'lifecyclestage',
    propertyValue: 'marketingqualifiedlead',
    changeSource: 'CRM_UI',
  };
}
