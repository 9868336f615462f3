/**
 * The routing queue's answer log measures each answer once; what it says the carried answers weigh
 * must be what JSON.stringify writes, or the run's history budget would count wrong.
 */
import { describe, expect, it } from 'vitest';
import type { AnsweredRequest } from '../api/routing';
import { jsonBytes } from '../mappings/routing';
import { ANSWERS_CARRIED, createAnswerLog } from '../workflows/routing-answers';

const answer = (i: number, name = `Rep ${i}`): AnsweredRequest => ({ requestId: `handoff:1:${i}:0:1`, hot: i % 7 === 0, choice: { rep: { id: `rep-${i % 3}`, name }, turn: i } });

describe('createAnswerLog', () => {
  it('says what the carried answers add to a carry, byte for byte as JSON writes them', () => {
    const log = createAnswerLog([answer(1, 'Zoë Müller'), answer(2, '林 美咲')]);
    for (let i = 3; i <= 40; i++) log.add(answer(i, i % 5 === 0 ? 'René 🚀 Ødegaard' : `Rep ${i}`));
    const rest = { portalId: 'p-1', rotation: { cursor: 3 }, answered: [] as AnsweredRequest[], loads: { 'rep-1': { day: '2026-12-06', newToday: 2 } } };
    for (const maxBytes of [Infinity, 2_000, 130, 0]) {
      const { answers, bytes } = log.carried(maxBytes);
      expect(jsonBytes({ ...rest, answered: [] }) + bytes).toBe(jsonBytes({ ...rest, answered: answers }));
    }
  });

  it('keeps the newest answers, in order, as many as fit the bytes given and ANSWERS_CARRIED', () => {
    const log = createAnswerLog();
    for (let i = 1; i <= ANSWERS_CARRIED + 5; i++) log.add(answer(i));
    const all = log.carried(Infinity).answers;
    expect(all).toHaveLength(ANSWERS_CARRIED);
    expect(all[0]?.requestId).toBe(answer(6).requestId);
    expect(all.at(-1)?.requestId).toBe(answer(ANSWERS_CARRIED + 5).requestId);

    const one = jsonBytes(answer(ANSWERS_CARRIED + 5));
    const few = log.carried(3 * one + 1).answers.map((a) => a.requestId);
    expect(few).toEqual([ANSWERS_CARRIED + 3, ANSWERS_CARRIED + 4, ANSWERS_CARRIED + 5].map((i) => answer(i).requestId));
    expect(log.carried(0)).toEqual({ answers: [], bytes: 0 });
  });

  it('answers a known request id with its first answer', () => {
    const log = createAnswerLog([answer(1)]);
    expect(log.get(answer(1).requestId)?.choice).toEqual(answer(1).choice);
    expect(log.get('handoff:1:9:0:1')).toBeUndefined();
    log.add(answer(2));
    expect(log.all().map((a) => a.requestId)).toEqual([answer(1).requestId, answer(2).requestId]);
  });
});
