// The HubSpot emulator checked with HubSpot's own Node client (@hubspot/api-client 14): every call the bridge makes
// and the everyday admin calls, through the client's typed APIs, reading typed fields (a Date that is not a date, a
// field the model requires and the answer lacks, is a failure here). Run against the emulator (DevEmulators) with
//   HUBSPOT_BASE_URL=http://127.0.0.1:28092 HUBSPOT_TOKEN=pat-contract node --test hubspot.test.mjs
// Each test uses names of its own (RUN below), so tests are independent of each other and of earlier runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as hubspot from '@hubspot/api-client';

const basePath = process.env.HUBSPOT_BASE_URL ?? 'http://127.0.0.1:8092';
const accessToken = process.env.HUBSPOT_TOKEN ?? 'pat-contract';
// retries: the client waits out a 429 (searches are limited to 5 a second) as it would against HubSpot
const client = new hubspot.Client({ accessToken, basePath, numberOfApiCallRetries: 3 });
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const TYPES = ['contacts', 'tickets', 'communications', 'notes'];

const isDate = (d) => d instanceof Date && !Number.isNaN(d.getTime());
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** The ApiException a call throws, or a failure when it does not throw. */
async function refused(call) {
  try {
    await call();
  } catch (e) {
    assert.ok(e.code, `not an ApiException: ${e}`);
    return e;
  }
  assert.fail('the call was expected to be refused');
}

/** HubSpot's error body: status "error", a message, a correlationId and a category. */
function assertErrorBody(body, category) {
  assert.equal(body.status, 'error');
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  assert.match(body.correlationId, /^[0-9a-f-]{36}$/);
  assert.equal(body.category, category);
}

function assertProperty(p) {
  for (const field of ['name', 'label', 'type', 'fieldType', 'groupName', 'description']) {
    assert.equal(typeof p[field], 'string', `${p.name}.${field}`);
  }
  assert.ok(Array.isArray(p.options), `${p.name}.options`);
  assert.equal(typeof p.displayOrder, 'number', `${p.name}.displayOrder`);
  assert.equal(p.archived, false, `${p.name}.archived`);
  assert.equal(typeof p.hasUniqueValue, 'boolean', `${p.name}.hasUniqueValue`);
  assert.equal(typeof p.hubspotDefined === 'boolean' || p.hubspotDefined === undefined, true);
  assert.equal(typeof p.formField, 'boolean', `${p.name}.formField`);
  assert.ok(p.modificationMetadata && typeof p.modificationMetadata.readOnlyValue === 'boolean', `${p.name} metadata`);
  if (p.createdAt !== undefined) assert.ok(isDate(p.createdAt), `${p.name}.createdAt`);
  if (p.updatedAt !== undefined) assert.ok(isDate(p.updatedAt), `${p.name}.updatedAt`);
}

function assertRecord(r) {
  assert.match(r.id, /^\d+$/);
  assert.ok(isDate(r.createdAt), 'createdAt');
  assert.ok(isDate(r.updatedAt), 'updatedAt');
  assert.equal(r.archived, false);
  assert.equal(r.properties.hs_object_id, r.id);
  assert.match(r.properties.hs_createdate ?? r.properties.createdate, ISO);
  assert.match(r.properties.hs_lastmodifieddate ?? r.properties.lastmodifieddate, ISO);
}

function assertBatch(b) {
  assert.equal(b.status, 'COMPLETE');
  assert.ok(isDate(b.startedAt) && isDate(b.completedAt), 'batch times');
  assert.ok(Array.isArray(b.results));
}

/** The bridge's group and unique property, created when missing (409 is the portal saying it exists). */
async function ensureWhatsappProperties() {
  for (const [type, name] of [['contacts', 'whatsapp_id'], ['communications', 'whatsapp_message_id'],
    ['tickets', 'whatsapp_conversation_key'], ['notes', 'whatsapp_event_id']]) {
    await client.crm.properties.groupsApi.create(type, { name: 'whatsapp', label: 'WhatsApp', displayOrder: -1 })
      .catch((e) => assert.equal(e.code, 409, String(e)));
    await client.crm.properties.coreApi.create(type, {
      name, label: name, type: 'string', fieldType: 'text', groupName: 'whatsapp', hasUniqueValue: true,
      description: 'Written by the WhatsApp CRM bridge',
    }).catch((e) => assert.equal(e.code, 409, String(e)));
  }
}

async function contact(props = {}) {
  return client.crm.contacts.basicApi.create({ properties: { firstname: `c${RUN}`, ...props }, associations: [] });
}

test('properties: every type lists its properties in the shape of the client model', async () => {
  for (const type of TYPES) {
    const all = await client.crm.properties.coreApi.getAll(type);
    assert.ok(all.results.length > 3, type);
    all.results.forEach(assertProperty);
    assert.ok(all.results.some((p) => p.name === 'hs_object_id'), `${type} has hs_object_id`);
  }
  const channel = await client.crm.properties.coreApi.getByName('communications', 'hs_communication_channel_type');
  assert.equal(channel.type, 'enumeration');
  assert.ok(channel.options.some((o) => o.value === 'WHATS_APP' && typeof o.label === 'string'
    && typeof o.hidden === 'boolean' && typeof o.displayOrder === 'number'));
});

test('property groups: created per type, listed with label, displayOrder and archived', async () => {
  for (const type of TYPES) {
    const name = `grp_${RUN}`;
    const group = await client.crm.properties.groupsApi.create(type, { name, label: `Group ${RUN}`, displayOrder: 5 });
    assert.deepEqual({ ...group }, { name, label: `Group ${RUN}`, displayOrder: 5, archived: false });
    const all = await client.crm.properties.groupsApi.getAll(type);
    const listed = all.results.find((g) => g.name === name);
    assert.equal(listed.label, `Group ${RUN}`);
    assert.equal(listed.displayOrder, 5);
    assert.equal(listed.archived, false);
    all.results.forEach((g) => assert.equal(typeof g.label, 'string'));
    const again = await refused(() => client.crm.properties.groupsApi.create(type, { name, label: 'x' }));
    assert.equal(again.code, 409);
    assertErrorBody(again.body, 'OBJECT_ALREADY_EXISTS');
  }
});

test('properties: created with valid type/fieldType pairs, refused otherwise, 409 when the name exists', async () => {
  const created = [];
  for (const type of TYPES) {
    for (const [t, f, extra] of [['string', 'text'], ['datetime', 'date'], ['number', 'number'], ['date', 'date'],
      ['bool', 'booleancheckbox'], ['enumeration', 'select',
        { options: [{ label: 'Yes', value: 'yes', displayOrder: 0, hidden: false }, { label: 'No', value: 'no' }] }]]) {
      const name = `p_${t}_${RUN}`;
      const p = await client.crm.properties.coreApi.create(type, {
        name, label: `P ${t}`, type: t, fieldType: f, groupName: type === 'contacts' ? 'contactinformation'
          : type.replace(/s$/, '') + 'information', description: 'contract test', ...extra,
      });
      assertProperty(p);
      assert.equal(p.name, name);
      assert.equal(p.type, t);
      assert.equal(p.fieldType, f);
      assert.equal(p.hubspotDefined ?? false, false);
      assert.ok(isDate(p.createdAt) && isDate(p.updatedAt), 'a new property has createdAt and updatedAt');
      if (t === 'enumeration') {
        assert.deepEqual(p.options.map((o) => [o.label, o.value, o.hidden, typeof o.displayOrder]),
          [['Yes', 'yes', false, 'number'], ['No', 'no', false, 'number']]);
      }
      created.push([type, name]);
    }
  }
  const read = await client.crm.properties.coreApi.getByName('tickets', `p_number_${RUN}`);
  assert.equal(read.type, 'number');
  for (const [t, f] of [['string', 'select'], ['datetime', 'text'], ['number', 'text'], ['bool', 'text'],
    ['enumeration', 'text'], ['text', 'text']]) {
    const bad = await refused(() => client.crm.properties.coreApi.create('contacts', {
      name: `bad_${t}_${f}_${RUN}`, label: 'bad', type: t, fieldType: f, groupName: 'contactinformation',
    }));
    assert.equal(bad.code, 400, `${t}/${f}`);
    assertErrorBody(bad.body, 'VALIDATION_ERROR');
  }
  const conflict = await refused(() => client.crm.properties.coreApi.create('contacts', {
    name: `p_string_${RUN}`, label: 'again', type: 'string', fieldType: 'text', groupName: 'contactinformation',
  }));
  assert.equal(conflict.code, 409);
  assertErrorBody(conflict.body, 'OBJECT_ALREADY_EXISTS');
  for (const [type, name] of created) {
    await client.crm.properties.coreApi.archive(type, name);
  }
  const gone = await refused(() => client.crm.properties.coreApi.getByName('tickets', `p_number_${RUN}`));
  assert.equal(gone.code, 404);
});

test('batch upsert on whatsapp_id creates then updates; datetimes come back ISO-8601', async () => {
  await ensureWhatsappProperties();
  const unique = await client.crm.properties.coreApi.getByName('contacts', 'whatsapp_id');
  assert.equal(unique.hasUniqueValue, true);
  await client.crm.properties.coreApi.create('contacts', {
    name: `seen_${RUN}`, label: 'Seen', type: 'datetime', fieldType: 'date', groupName: 'whatsapp',
  });
  const wa = `+1650${RUN}`;
  const input = (firstname, seen) => ({ inputs: [{ idProperty: 'whatsapp_id', id: wa,
    properties: { firstname, [`seen_${RUN}`]: seen } }] });
  const first = await client.crm.contacts.batchApi.upsert(input('Sheena', '1732270000000'));
  assertBatch(first);
  assert.equal(first.results.length, 1);
  const created = first.results[0];
  assertRecord(created);
  assert.equal(created._new, true);
  assert.equal(created.properties.whatsapp_id, wa);
  assert.equal(created.properties[`seen_${RUN}`], '2024-11-22T10:06:40Z'); // epoch millis in, ISO out
  const second = await client.crm.contacts.batchApi.upsert(input('Shee', '2024-11-22T10:06:40.123Z'));
  assert.equal(second.results[0]._new, false);
  assert.equal(second.results[0].id, created.id);
  assert.equal(second.results[0].properties.firstname, 'Shee');
  assert.equal(second.results[0].properties[`seen_${RUN}`], '2024-11-22T10:06:40.123Z');
  // an invalid input fails alone (207), the others are written: what the bridge's per-input handling relies on
  const mixed = await client.crm.contacts.batchApi.upsert({ inputs: [input('x', 'yesterday').inputs[0],
    { idProperty: 'whatsapp_id', id: `${wa}9`, properties: { firstname: 'Other' } }] });
  assert.equal(mixed.results.length, 1);
  assert.equal(mixed.results[0].properties.whatsapp_id, `${wa}9`);
  assert.equal(mixed.numErrors, 1);
  assert.equal(mixed.errors[0].category, 'VALIDATION_ERROR');
  assert.deepEqual(mixed.errors[0].context.whatsapp_id, [wa]);
  assert.match(mixed.errors[0].message, /INVALID_DATETIME/);
});

test('batch read with idProperty and by id; a missing id is a 207 with OBJECT_NOT_FOUND', async () => {
  await ensureWhatsappProperties();
  const wa = `+1651${RUN}`;
  const up = await client.crm.contacts.batchApi.upsert({ inputs: [{ idProperty: 'whatsapp_id', id: wa,
    properties: { lastname: 'Read' } }] });
  const id = up.results[0].id;
  const byUnique = await client.crm.contacts.batchApi.read({ idProperty: 'whatsapp_id', inputs: [{ id: wa }],
    properties: ['lastname', 'whatsapp_id'], propertiesWithHistory: [] });
  assertBatch(byUnique);
  assert.equal(byUnique.results[0].id, id);
  assert.equal(byUnique.results[0].properties.lastname, 'Read');
  assertRecord(byUnique.results[0]);
  const mixed = await client.crm.contacts.batchApi.read({ inputs: [{ id }, { id: '999999999' }],
    properties: ['lastname'], propertiesWithHistory: [] });
  assert.equal(mixed.results.length, 1);
  assert.equal(mixed.numErrors, 1);
  assert.equal(mixed.errors[0].status, 'error');
  assert.equal(mixed.errors[0].category, 'OBJECT_NOT_FOUND');
  assert.deepEqual(mixed.errors[0].context.ids, ['999999999']);
});

test('batch update by id changes the values and updatedAt', async () => {
  const a = await contact({ lastname: 'Before' });
  const b = await contact({ lastname: 'Before' });
  await new Promise((r) => setTimeout(r, 5));
  const updated = await client.crm.contacts.batchApi.update({ inputs: [{ id: a.id, properties: { lastname: 'After' } },
    { id: b.id, properties: { lastname: 'After' } }] });
  assertBatch(updated);
  assert.deepEqual(updated.results.map((r) => r.properties.lastname), ['After', 'After']);
  updated.results.forEach(assertRecord);
  assert.ok(updated.results[0].updatedAt >= a.updatedAt);
  const one = await client.crm.contacts.basicApi.update(a.id, { properties: { lastname: 'Single' } });
  assert.equal(one.properties.lastname, 'Single');
  const bad = await refused(() => client.crm.contacts.basicApi.update(a.id, { properties: { no_such_prop: 'x' } }));
  assert.equal(bad.code, 400);
  assertErrorBody(bad.body, 'VALIDATION_ERROR');
  assert.match(bad.body.message, /PROPERTY_DOESNT_EXIST/);
});

test('objects: getPage pages with limit/after/properties; archive answers 204 and the record is gone', async () => {
  const mine = [];
  for (let i = 0; i < 3; i++) mine.push((await contact({ lastname: `page${i}` })).id);
  const seen = [];
  let after;
  do {
    const page = await client.crm.objects.basicApi.getPage('contacts', 2, after, ['lastname']);
    assert.ok(page.results.length <= 2);
    page.results.forEach((r) => { assertRecord(r); seen.push(r.id); });
    after = page.paging?.next?.after;
    if (after !== undefined) assert.equal(typeof after, 'string');
  } while (after);
  assert.ok(mine.every((id) => seen.includes(id)));
  assert.equal(new Set(seen).size, seen.length, 'no record on two pages');
  const read = await client.crm.contacts.basicApi.getById(mine[0], ['lastname']);
  assert.equal(read.properties.lastname, 'page0');
  await client.crm.contacts.basicApi.archive(mine[0]);
  const gone = await refused(() => client.crm.contacts.basicApi.getById(mine[0]));
  assert.equal(gone.code, 404);
  assertErrorBody(gone.body, 'OBJECT_NOT_FOUND');
});

test('search: EQ, NEQ, IN, CONTAINS_TOKEN, GT/LT, HAS_PROPERTY, sorts and paging', async () => {
  const score = `score_${RUN}`;
  await client.crm.properties.coreApi.create('contacts', { name: score, label: 'Score', type: 'number',
    fieldType: 'number', groupName: 'contactinformation' });
  const tag = `tag${RUN}`;
  const made = [];
  for (const [n, last, s] of [[1, 'Alpha Smith', 10], [2, 'Beta Jones', 20], [3, 'Gamma Smith', 30]]) {
    made.push(await contact({ firstname: tag, lastname: last, [score]: String(s), ...(n === 3 ? {} : { company: 'Acme' }) }));
  }
  const search = (filters, extra = {}) => client.crm.contacts.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'firstname', operator: 'EQ', value: tag }, ...filters] }],
    properties: ['lastname', score], limit: 10, after: '0', sorts: [], ...extra });
  const ids = (r) => r.results.map((x) => x.id);
  let r = await search([]);
  assert.equal(r.total, 3);
  r.results.forEach(assertRecord);
  r = await search([{ propertyName: 'lastname', operator: 'CONTAINS_TOKEN', value: 'smith' }]);
  assert.deepEqual(ids(r).sort(), [made[0].id, made[2].id].sort());
  r = await search([{ propertyName: score, operator: 'GT', value: '10' }, { propertyName: score, operator: 'LT', value: '30' }]);
  assert.deepEqual(ids(r), [made[1].id]);
  r = await search([{ propertyName: score, operator: 'GTE', value: '20' }]);
  assert.equal(r.total, 2);
  r = await search([{ propertyName: score, operator: 'LTE', value: '20' }]);
  assert.equal(r.total, 2);
  r = await search([{ propertyName: 'lastname', operator: 'IN', values: ['Alpha Smith', 'Beta Jones'] }]);
  assert.equal(r.total, 2);
  r = await search([{ propertyName: 'lastname', operator: 'NEQ', value: 'Alpha Smith' }]);
  assert.equal(r.total, 2);
  r = await search([{ propertyName: 'company', operator: 'NOT_HAS_PROPERTY' }]);
  assert.deepEqual(ids(r), [made[2].id]);
  r = await search([{ propertyName: 'company', operator: 'HAS_PROPERTY' }]);
  assert.equal(r.total, 2);
  // the client types sorts as string[]; HubSpot's docs send { propertyName, direction }: the docs are followed
  const by = (direction) => [{ propertyName: score, direction }];
  r = await search([], { sorts: by('DESCENDING') });
  assert.deepEqual(r.results.map((x) => x.properties[score]), ['30', '20', '10']);
  r = await search([], { sorts: by('ASCENDING'), limit: 2 });
  assert.deepEqual(r.results.map((x) => x.properties[score]), ['10', '20']);
  assert.equal(r.total, 3);
  const next = await search([], { sorts: by('ASCENDING'), limit: 2, after: r.paging.next.after });
  assert.deepEqual(next.results.map((x) => x.properties[score]), ['30']);
  assert.equal(next.paging, undefined);
  const bad = await refused(() => search([{ propertyName: score, operator: 'LIKE', value: '1' }]));
  assert.equal(bad.code, 400);
  assertErrorBody(bad.body, 'VALIDATION_ERROR');
});

test('tickets: the default pipeline and its stages; a pipeline or stage the portal lacks is refused', async () => {
  const pipelines = await client.crm.pipelines.pipelinesApi.getAll('tickets');
  const support = pipelines.results.find((p) => p.id === '0');
  assert.ok(support, 'pipeline 0');
  assert.equal(typeof support.label, 'string');
  assert.equal(support.archived, false);
  assert.equal(typeof support.displayOrder, 'number');
  assert.ok(isDate(support.createdAt) && isDate(support.updatedAt));
  assert.deepEqual(support.stages.map((s) => [s.id, s.label]),
    [['1', 'New'], ['2', 'Waiting on contact'], ['3', 'Waiting on us'], ['4', 'Closed']]);
  support.stages.forEach((s) => {
    assert.ok(isDate(s.createdAt) && isDate(s.updatedAt));
    assert.equal(s.archived, false);
    assert.equal(typeof s.displayOrder, 'number');
    assert.ok(['OPEN', 'CLOSED'].includes(s.metadata.ticketState));
  });
  assert.equal(support.stages[3].metadata.ticketState, 'CLOSED');
  const ticket = await client.crm.tickets.basicApi.create({ properties: { subject: `t${RUN}`, hs_pipeline: '0',
    hs_pipeline_stage: '1' }, associations: [] });
  assertRecord(ticket);
  for (const properties of [{ subject: 'x', hs_pipeline: '999', hs_pipeline_stage: '1' },
    { subject: 'x', hs_pipeline: '0', hs_pipeline_stage: '77' }]) {
    const bad = await refused(() => client.crm.tickets.basicApi.create({ properties, associations: [] }));
    assert.equal(bad.code, 400, JSON.stringify(properties));
    assertErrorBody(bad.body, 'VALIDATION_ERROR');
  }
});

/** A communication, a ticket and a note for a new contact, as the bridge writes them. */
async function conversation() {
  const c = await contact();
  const comm = await client.crm.objects.communications.basicApi.create({ associations: [], properties: {
    hs_communication_channel_type: 'WHATS_APP', hs_communication_logged_from: 'CRM',
    hs_communication_body: 'hello', hs_timestamp: '1732270000000' } });
  assert.equal(comm.properties.hs_timestamp, '2024-11-22T10:06:40Z');
  const ticket = await client.crm.tickets.basicApi.create({ associations: [], properties: { subject: `t${RUN}`,
    hs_pipeline: '0', hs_pipeline_stage: '1' } });
  const note = await client.crm.objects.notes.basicApi.create({ associations: [], properties: {
    hs_note_body: 'opt-in', hs_timestamp: '2024-11-22T10:11:40Z' } });
  return { c, comm, ticket, note };
}

const spec = (id) => [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: id }];

test('v4 associations: batch create and batch read both ways; no associations is a 207 NO_ASSOCIATIONS_FOUND', async () => {
  const { c, comm, ticket, note } = await conversation();
  const v4 = client.crm.associations.v4.batchApi;
  for (const [from, to, fromId, toId, typeId] of [['communications', 'contacts', comm.id, c.id, 81],
    ['communications', 'tickets', comm.id, ticket.id, 83], ['tickets', 'contacts', ticket.id, c.id, 16],
    ['notes', 'contacts', note.id, c.id, 202]]) {
    const made = await v4.create(from, to, { inputs: [{ _from: { id: fromId }, to: { id: toId }, types: spec(typeId) }] });
    assertBatch(made);
    assert.equal(String(made.results[0].fromObjectId), fromId);
    assert.equal(String(made.results[0].toObjectId), toId);
    assert.ok(Array.isArray(made.results[0].labels));
  }
  const read = await v4.getPage('contacts', 'communications', { inputs: [{ id: c.id }] });
  assertBatch(read);
  assert.equal(read.results[0]._from.id, c.id);
  assert.equal(String(read.results[0].to[0].toObjectId), comm.id);
  assert.deepEqual(read.results[0].to[0].associationTypes.map((t) => [t.category, t.typeId]), [['HUBSPOT_DEFINED', 82]]);
  const lonely = await contact();
  const none = await v4.getPage('contacts', 'communications', { inputs: [{ id: c.id }, { id: lonely.id }] });
  assert.equal(none.results.length, 1);
  assert.equal(none.numErrors, 1);
  assert.equal(none.errors[0].category, 'OBJECT_NOT_FOUND');
  assert.equal(none.errors[0].subCategory, 'crm.associations.NO_ASSOCIATIONS_FOUND');
  assert.deepEqual(none.errors[0].context.fromObjectId, [lonely.id]);
  // type 16 is ticket→contact, not communication→contact: a lone invalid input refuses the call
  const wrong = await refused(() => v4.create('communications', 'contacts', { inputs: [{ _from: { id: comm.id },
    to: { id: c.id }, types: spec(16) }] }));
  assert.equal(wrong.code, 400);
  assertErrorBody(wrong.body, 'VALIDATION_ERROR');
});

test('v4 association labels list the HUBSPOT_DEFINED types of each pair', async () => {
  for (const [from, to, typeId] of [['communications', 'contacts', 81], ['contacts', 'communications', 82],
    ['communications', 'tickets', 83], ['tickets', 'communications', 84], ['notes', 'contacts', 202],
    ['contacts', 'notes', 201], ['tickets', 'contacts', 16], ['contacts', 'tickets', 15]]) {
    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll(from, to);
    const found = labels.results.find((l) => l.typeId === typeId);
    assert.ok(found, `${from}→${to} ${typeId}`);
    assert.equal(found.category, 'HUBSPOT_DEFINED');
  }
});

test('inline associations on create are stored', async () => {
  const c = await contact();
  const note = await client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'inline',
    hs_timestamp: '2024-11-22T10:11:40Z' }, associations: [{ to: { id: c.id }, types: spec(202) }] });
  const read = await client.crm.associations.v4.batchApi.getPage('notes', 'contacts', { inputs: [{ id: note.id }] });
  assert.equal(String(read.results[0].to[0].toObjectId), c.id);
  const back = await client.crm.associations.v4.batchApi.getPage('contacts', 'notes', { inputs: [{ id: c.id }] });
  assert.deepEqual(back.results[0].to[0].associationTypes.map((t) => t.typeId), [201]);
  const bad = await refused(() => client.crm.objects.notes.basicApi.create({ properties: { hs_note_body: 'x',
    hs_timestamp: '2024-11-22T10:11:40Z' }, associations: [{ to: { id: '999999999' }, types: spec(202) }] }));
  assert.equal(bad.code, 400);
});

test('error bodies: 400, 401 for another token, 404, 409', async () => {
  const invalid = await refused(() => contact({ no_such_property: 'x' }));
  assert.equal(invalid.code, 400);
  assertErrorBody(invalid.body, 'VALIDATION_ERROR');
  const other = new hubspot.Client({ accessToken: `${accessToken}-not`, basePath });
  const denied = await refused(() => other.crm.properties.coreApi.getAll('contacts'));
  assert.equal(denied.code, 401);
  assertErrorBody(denied.body, 'INVALID_AUTHENTICATION');
  const missing = await refused(() => client.crm.tickets.basicApi.getById('999999999'));
  assert.equal(missing.code, 404);
  assertErrorBody(missing.body, 'OBJECT_NOT_FOUND');
  const noProperty = await refused(() => client.crm.properties.coreApi.getByName('contacts', `nope_${RUN}`));
  assert.equal(noProperty.code, 404);
  await ensureWhatsappProperties();
  const exists = await refused(() => client.crm.properties.coreApi.create('contacts', { name: 'whatsapp_id',
    label: 'x', type: 'string', fieldType: 'text', groupName: 'whatsapp', hasUniqueValue: true }));
  assert.equal(exists.code, 409);
  assertErrorBody(exists.body, 'OBJECT_ALREADY_EXISTS');
});

test('error bodies: 429 past the search limit (5 a second), with its policy, as the client reads it', async () => {
  // no retries here: the client would otherwise wait the 429 out
  const eager = new hubspot.Client({ accessToken, basePath, numberOfApiCallRetries: 0 });
  const calls = Array.from({ length: 12 }, () => eager.crm.contacts.searchApi.doSearch({ limit: 1 })
    .then(() => null, (e) => e));
  const refusals = (await Promise.all(calls)).filter((e) => e !== null);
  assert.ok(refusals.length > 0, 'twelve searches at once: some are refused');
  for (const e of refusals) {
    assert.equal(e.code, 429);
    // HubSpot's 429 body names an errorType and the policy, not a category
    assert.equal(e.body.status, 'error');
    assert.equal(e.body.errorType, 'RATE_LIMIT');
    assert.match(e.body.correlationId, /^[0-9a-f-]{36}$/);
    assert.equal(e.body.policyName, 'SECONDLY');
  }
  await new Promise((r) => setTimeout(r, 1100));
});

test('workflow action definitions: created (201), paged, updated with the app\'s developer key; refused otherwise', async () => {
  const appId = 4242;
  const developer = new hubspot.Client({ developerApiKey: 'dev-hubspot-developer-key', basePath });
  const definitions = developer.automation.actions.definitionsApi;
  const egg = {
    actionUrl: `https://contract.example.com/actions/${RUN}`, objectTypes: ['CONTACT'], published: false,
    inputFields: [{ typeDefinition: { name: 'template_name', type: 'string', fieldType: 'text' },
      supportedValueTypes: ['STATIC_VALUE'], isRequired: true }],
    outputFields: [{ typeDefinition: { name: 'whatsapp_status', type: 'string', fieldType: 'text' },
      supportedValueTypes: ['STATIC_VALUE'] }],
    labels: { en: { actionName: `Contract ${RUN}` } },
  };
  const created = await definitions.create(appId, egg);
  assert.ok(created.id);
  assert.equal(created.actionUrl, egg.actionUrl);
  assert.equal(created.inputFields[0].typeDefinition.name, 'template_name');
  const page = await definitions.getPage(appId, 100);
  assert.ok(page.results.some((d) => d.id === created.id));
  const updated = await definitions.update(created.id, appId, { labels: { en: { actionName: `Renamed ${RUN}` } } });
  assert.equal(updated.labels.en.actionName, `Renamed ${RUN}`);
  assert.equal((await definitions.getById(created.id, appId)).labels.en.actionName, `Renamed ${RUN}`);

  const insecure = await refused(() => definitions.create(appId, { ...egg, actionUrl: 'http://insecure.example.com' }));
  assert.equal(insecure.code, 400);
  assertErrorBody(insecure.body, 'VALIDATION_ERROR');
  const wrongKey = new hubspot.Client({ developerApiKey: 'not-the-key', basePath });
  const denied = await refused(() => wrongKey.automation.actions.definitionsApi.getPage(appId));
  assert.equal(denied.code, 401);
  assertErrorBody(denied.body, 'INVALID_AUTHENTICATION');
});

test('workflow callbacks: a batch naming a callback that is not waiting is refused as a whole (400)', async () => {
  const batch = { inputs: [{ callbackId: `ap-${RUN}-1`, outputFields: { hs_execution_state: 'SUCCESS' } },
    { callbackId: `ap-${RUN}-2`, outputFields: { hs_execution_state: 'FAIL_CONTINUE' } }] };
  const notWaiting = await refused(() => client.automation.actions.callbacksApi.completeBatch(batch));
  assert.equal(notWaiting.code, 400);
  assertErrorBody(notWaiting.body, 'VALIDATION_ERROR');
  const single = await refused(() => client.automation.actions.callbacksApi.complete(`ap-${RUN}-1`,
    { outputFields: { hs_execution_state: 'SUCCESS' } }));
  assert.equal(single.code, 400);
});

test('files: an upload is private, sized and typed as the client models it; a missing access is refused', async () => {
  const data = Buffer.from(`a customer's document of ${RUN}`);
  const file = await client.files.filesApi.upload({ data, name: `invoice-${RUN}.pdf` }, undefined, '/WhatsApp',
    `invoice-${RUN}.pdf`, undefined, JSON.stringify({ access: 'PRIVATE' }));
  assert.match(file.id, /^\d+$/);
  assert.equal(file.access, 'PRIVATE');
  assert.equal(file.size, data.length);
  assert.equal(file.extension, 'pdf');
  assert.equal(file.archived, false);
  // the client reads the files API's answers untyped (its model is `any` there): the times as HubSpot writes them
  assert.match(file.createdAt, ISO);
  const read = await client.files.filesApi.getById(file.id);
  assert.equal(read.id, file.id);
  assert.equal(read.access, 'PRIVATE');
  assert.match(read.updatedAt, ISO);
  const noAccess = await refused(() => client.files.filesApi.upload({ data, name: 'x.pdf' }, undefined, '/WhatsApp',
    'x.pdf', undefined, JSON.stringify({})));
  assert.equal(noAccess.code, 400);
  const bothFolders = await refused(() => client.files.filesApi.upload({ data, name: 'x.pdf' }, '1', '/WhatsApp',
    'x.pdf', undefined, JSON.stringify({ access: 'PRIVATE' })));
  assert.equal(bothFolders.code, 400);
});

test('calls: upserted on whatsapp_call_id with the call properties, associated with a contact (194)', async () => {
  await client.crm.properties.groupsApi.create('calls', { name: 'whatsapp', label: 'WhatsApp', displayOrder: -1 })
    .catch((e) => assert.equal(e.code, 409, String(e)));
  await client.crm.properties.coreApi.create('calls', {
    name: 'whatsapp_call_id', label: 'WhatsApp call id', type: 'string', fieldType: 'text', groupName: 'whatsapp',
    hasUniqueValue: true,
  }).catch((e) => assert.equal(e.code, 409, String(e)));
  const input = (status, duration) => ({ inputs: [{ idProperty: 'whatsapp_call_id', id: `wacid.${RUN}`,
    properties: { hs_timestamp: '2024-11-22T10:06:45Z', hs_call_direction: 'INBOUND', hs_call_status: status,
      hs_call_duration: duration, hs_call_title: 'WhatsApp call from the customer' } }] });
  const first = await client.crm.objects.calls.batchApi.upsert(input('IN_PROGRESS', '0'));
  assert.equal(first.results[0]._new, true);
  const second = await client.crm.objects.calls.batchApi.upsert(input('COMPLETED', '120000'));
  assert.equal(second.results[0].id, first.results[0].id);
  assert.equal(second.results[0].properties.hs_call_status, 'COMPLETED');
  const wrong = await client.crm.objects.calls.batchApi.upsert({ inputs: [{ idProperty: 'whatsapp_call_id',
    id: `wacid.${RUN}x`, properties: { hs_call_status: 'ON_HOLD' } }] }).catch((e) => e);
  assert.ok(wrong.code === 400 || wrong.numErrors === 1, 'a status HubSpot does not list is refused');
  const c = await contact();
  const linked = await client.crm.associations.v4.batchApi.create('calls', 'contacts', { inputs: [{
    _from: { id: first.results[0].id }, to: { id: c.id },
    types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }] });
  assert.equal(linked.results.length, 1);
});
