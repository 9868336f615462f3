/**
 * The standard invocable action `convertLead` (POST /actions/standard/convertLead), which is how the
 * sandbox converts a lead to an Opportunity, and /limits for the daily allocation.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiUsage } from './api-usage';
import { collectionError, SalesforceError, sendSalesforceError } from './errors';
import type { SalesforceStore } from './store';

const convertBody = z.object({
  inputs: z.array(
    z.object({
      leadId: z.string(),
      convertedStatus: z.string(),
      createOpportunity: z.boolean().optional(),
      opportunityName: z.string().optional(),
    }),
  ),
});

export function registerActionRoutes(app: FastifyInstance, store: SalesforceStore, base: string, usage: ApiUsage): void {
  app.post(`${base}/actions/standard/convertLead`, { config: { operation: 'actions.convertLead' } }, async (request, reply) => {
    const body = convertBody.safeParse(request.body);
    if (!body.success) return sendSalesforceError(reply, 400, 'JSON_PARSER_ERROR', 'expected {inputs:[{leadId, convertedStatus}]}');
    return body.data.inputs.map((input) => {
      try {
        const output = store.convertLead(input);
        return { actionName: 'convertLead', errors: null, isSuccess: true, outputValues: output, version: 1 };
      } catch (err) {
        if (!(err instanceof SalesforceError)) throw err;
        return { actionName: 'convertLead', errors: [collectionError(err)], isSuccess: false, outputValues: null, version: 1 };
      }
    });
  });

  app.get(`${base}/limits`, { config: { operation: 'limits' } }, async () => ({
    DailyApiRequests: { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used()) },
  }));
}
