/** CRM v3 contact property definitions: all of them, or one by name, with enumeration options. */
import type { FastifyInstance } from 'fastify';
import type { HubSpotStore } from './contact-store';
import type { HubSpotPropertyDefinition } from './properties';
import { sendHubSpotError } from './wire';

const FIELD_TYPES: Record<HubSpotPropertyDefinition['type'], string> = { string: 'text', number: 'number', datetime: 'date', enumeration: 'select' };

function propertyToWire(p: HubSpotPropertyDefinition): Record<string, unknown> {
  return {
    name: p.name,
    label: p.name,
    type: p.type,
    fieldType: FIELD_TYPES[p.type],
    groupName: 'contactinformation',
    description: '',
    options: (p.options ?? []).map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    calculated: p.readOnly === true,
    hasUniqueValue: false,
    hidden: false,
    formField: p.readOnly !== true,
    modificationMetadata: { archivable: true, readOnlyDefinition: p.readOnly === true, readOnlyValue: p.readOnly === true },
  };
}

export function registerPropertyRoutes(app: FastifyInstance, store: HubSpotStore): void {
  app.get<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType', { config: { operation: 'properties.list' } }, async (request, reply) => {
    if (request.params.objectType !== 'contacts' && request.params.objectType !== '0-1') {
      return sendHubSpotError(reply, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${request.params.objectType}`);
    }
    return { results: [...store.properties.values()].map(propertyToWire) };
  });

  app.get<{ Params: { objectType: string; name: string } }>('/crm/v3/properties/:objectType/:name', { config: { operation: 'properties.get' } }, async (request, reply) => {
    const definition = store.properties.get(request.params.name);
    if (!definition) return sendHubSpotError(reply, 404, 'OBJECT_NOT_FOUND', `Unable to find property ${request.params.name} for object type ${request.params.objectType}`);
    return propertyToWire(definition);
  });
}
