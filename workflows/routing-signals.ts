/** The signals between handoffs and their portal's routing queue (names in routing-api.ts). */
import { defineSignal } from '@temporalio/workflow';
import { RELEASE_SLOT_SIGNAL, ROUTING_CHANGED_SIGNAL, SLOT_RESERVED_SIGNAL, type ReleaseSlot } from '../api/routing';

/** Handoff → queue: the lead no longer awaits the rep. */
export const releaseSlotSignal = defineSignal<[ReleaseSlot]>(RELEASE_SLOT_SIGNAL);
/** Queue → waitlisted handoff: a freed slot is reserved for it. */
export const slotReservedSignal = defineSignal<[{ repId: string }]>(SLOT_RESERVED_SIGNAL);
/** Worker → handoff waiting for a rep: the pool gained a rep; ask routing again now. */
export const routingChangedSignal = defineSignal<[{ why: string }]>(ROUTING_CHANGED_SIGNAL);
