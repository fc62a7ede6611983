// The Salesforce emulator checked with jsforce 3, the client people use against Salesforce's REST API: every call the
// bridge makes (client-credentials login, SOQL with paging, sObject Collections upsert, composite) and the everyday
// calls an admin's tooling makes (identity, versions, limits, describe, CRUD). A failure here is a place where the
// emulator differs from Salesforce. SALESFORCE_URL: the emulator's base URL.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import jsforce from 'jsforce';

const loginUrl = process.env.SALESFORCE_URL ?? 'http://127.0.0.1:18091';
const version = '62.0';
const run = Date.now().toString(36);
let conn;

before(async () => {
  conn = new jsforce.Connection({ oauth2: { loginUrl, clientId: 'contract-client', clientSecret: 'contract-secret' }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
});

/** The error jsforce throws for a refused call. */
async function refusal(call) {
  try {
    await call();
  } catch (error) {
    return error;
  }
  assert.fail('the call was not refused');
}

test('client credentials login answers an identity URL that serves the user', async () => {
  assert.match(conn.instanceUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  const identity = await conn.identity();
  assert.equal(identity.organization_id, conn.userInfo.organizationId);
  assert.equal(identity.user_id, conn.userInfo.id);
  assert.ok(identity.username);
});

test('versions, resources and limits are served', async () => {
  const versions = await conn.request('/services/data/');
  assert.ok(versions.some((v) => v.version === version && v.url === `/services/data/v${version}`));
  const resources = await conn.request(`/services/data/v${version}/`);
  assert.equal(resources.query, `/services/data/v${version}/query`);
  const limits = await conn.limits();
  assert.ok(limits.DailyApiRequests.Max > 0);
  assert.ok(limits.DailyApiRequests.Remaining <= limits.DailyApiRequests.Max);
});

test('describeGlobal and describe come from the shipped metadata', async () => {
  const global = await conn.describeGlobal();
  const names = global.sobjects.map((o) => o.name);
  for (const name of ['Contact', 'Lead', 'Case', 'WhatsApp_Message__c', 'WhatsApp_Phone_Number__c']) {
    assert.ok(names.includes(name), name);
  }
  const message = await conn.sobject('WhatsApp_Message__c').describe();
  const wamid = message.fields.find((f) => f.name === 'Wamid__c');
  assert.equal(wamid.externalId, true);
  assert.equal(wamid.unique, true);
  assert.equal(wamid.type, 'string');
  const contact = message.fields.find((f) => f.name === 'Contact__c');
  assert.equal(contact.type, 'reference');
  assert.deepEqual(contact.referenceTo, ['Contact']);
  assert.equal(contact.relationshipName, 'Contact__r');
  const sentAt = message.fields.find((f) => f.name === 'Sent_At__c');
  assert.equal(sentAt.type, 'datetime');
  await assert.rejects(conn.sobject('Nope__c').describe(), (e) => e.errorCode === 'NOT_FOUND');
});

test('a single upsert on an external id creates, then updates; the record reads back', async () => {
  const id = `+1${run}1`;
  const created = await conn.sobject('Contact').upsert({ LastName: 'Ana', WhatsApp_Id__c: id }, 'WhatsApp_Id__c');
  assert.equal(created.success, true);
  assert.equal(created.created, true);
  const updated = await conn.sobject('Contact').upsert({ WhatsApp_Region__c: 'MX', WhatsApp_Id__c: id }, 'WhatsApp_Id__c');
  assert.equal(updated.success, true);
  const record = await conn.sobject('Contact').retrieve(created.id);
  assert.equal(record.LastName, 'Ana');
  assert.equal(record.WhatsApp_Region__c, 'MX');
  // Salesforce writes DateTimes with milliseconds and +0000
  assert.match(record.CreatedDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
});

test('sObject Collections: create, upsert, update, retrieve and delete', async () => {
  const created = await conn.sobject('Contact').create([
    { LastName: 'B1', WhatsApp_Id__c: `+2${run}1` },
    { LastName: 'B2', WhatsApp_Id__c: `+2${run}2` },
  ]);
  assert.deepEqual(created.map((r) => r.success), [true, true]);
  const upserted = await conn.sobject('Contact').upsert([
    { LastName: 'B1 again', WhatsApp_Id__c: `+2${run}1` },
    { LastName: 'B3', WhatsApp_Id__c: `+2${run}3` },
  ], 'WhatsApp_Id__c');
  assert.deepEqual(upserted.map((r) => r.created), [false, true]);
  const updated = await conn.sobject('Contact').update([{ Id: created[1].id, LastName: 'B2 renamed' }]);
  assert.equal(updated[0].success, true);
  const read = await conn.sobject('Contact').retrieve([created[0].id, created[1].id], { fields: ['LastName'] });
  assert.deepEqual(read.map((r) => r.LastName), ['B1 again', 'B2 renamed']);
  const deleted = await conn.sobject('Contact').destroy([created[0].id, upserted[1].id]);
  assert.deepEqual(deleted.map((r) => r.success), [true, true]);
  const gone = await conn.query(`SELECT Id FROM Contact WHERE WhatsApp_Id__c IN ('+2${run}1', '+2${run}3')`);
  assert.equal(gone.totalSize, 0);
});

test('collections failure shapes: a field the object lacks fails the request, one external id twice fails both', async () => {
  const unknown = await refusal(() => conn.requestPatch(`/services/data/v${version}/composite/sobjects/Contact/WhatsApp_Id__c`, {
    allOrNone: false,
    records: [{ attributes: { type: 'Contact' }, WhatsApp_Id__c: `+3${run}1`, LastName: 'C', Nope__c: 1 }],
  }));
  assert.equal(unknown.errorCode, 'INVALID_FIELD');
  const twice = await conn.sobject('Contact').upsert([
    { LastName: 'D', WhatsApp_Id__c: `+3${run}2` },
    { LastName: 'D again', WhatsApp_Id__c: `+3${run}2` },
  ], 'WhatsApp_Id__c');
  assert.deepEqual(twice.map((r) => r.success), [false, false]);
  assert.deepEqual(twice.map((r) => r.errors[0].statusCode), ['DUPLICATE_VALUE', 'DUPLICATE_VALUE']);
});

test('allOrNone rolls the whole call back', async () => {
  const results = await conn.sobject('Contact').upsert([
    { LastName: 'E', WhatsApp_Id__c: `+4${run}1` },
    { WhatsApp_Id__c: `+4${run}2` }, // LastName is required to create
  ], 'WhatsApp_Id__c', { allOrNone: true });
  assert.deepEqual(results.map((r) => r.success), [false, false]);
  const kept = await conn.query(`SELECT Id FROM Contact WHERE WhatsApp_Id__c = '+4${run}1'`);
  assert.equal(kept.totalSize, 0);
});

test('a query with more rows than a batch is answered in pages through nextRecordsUrl', async () => {
  const records = [];
  for (let i = 0; i < 2100; i++) {
    records.push({ LastName: `Page ${i}`, WhatsApp_Id__c: `+5${run}${String(i).padStart(4, '0')}` });
  }
  for (let from = 0; from < records.length; from += 200) {
    const results = await conn.sobject('Contact').upsert(records.slice(from, from + 200), 'WhatsApp_Id__c');
    assert.ok(results.every((r) => r.success));
  }
  const first = await conn.query(`SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Page %' AND WhatsApp_Id__c LIKE '+5${run}%'`);
  assert.equal(first.done, false);
  assert.equal(first.totalSize, 2100);
  assert.equal(first.records.length, 2000);
  const rest = await conn.queryMore(first.nextRecordsUrl);
  assert.equal(rest.done, true);
  assert.equal(rest.records.length, 100);
  // jsforce follows nextRecordsUrl itself with autoFetch
  const all = await conn.query(`SELECT Id FROM Contact WHERE WhatsApp_Id__c LIKE '+5${run}%'`).execute({ autoFetch: true, maxFetch: 5000 });
  assert.equal(all.records.length, 2100);
});

test('a relationship column comes back nested under the relationship', async () => {
  const person = `+6${run}1`;
  await conn.sobject('Contact').upsert({ LastName: 'F', WhatsApp_Id__c: person }, 'WhatsApp_Id__c');
  const wamid = `wamid.${run}.rel`;
  const result = await conn.requestPatch(`/services/data/v${version}/composite/sobjects/WhatsApp_Message__c/Wamid__c`, {
    allOrNone: false,
    records: [{ attributes: { type: 'WhatsApp_Message__c' }, Wamid__c: wamid, Contact__r: { WhatsApp_Id__c: person } }],
  });
  assert.equal(result[0].success, true);
  const found = await conn.query(`select Id, Contact__r.WhatsApp_Id__c from WhatsApp_Message__c where Wamid__c = '${wamid}'`);
  assert.equal(found.records[0].Contact__r.WhatsApp_Id__c, person);
  assert.equal(found.records[0].Contact__r.attributes.type, 'Contact');
});

test('SOQL errors: an unknown column is INVALID_FIELD, what cannot be parsed MALFORMED_QUERY', async () => {
  const unknown = await refusal(() => conn.query('SELECT Id, Nope__c FROM Contact'));
  assert.equal(unknown.errorCode, 'INVALID_FIELD');
  const malformed = await refusal(() => conn.query('SELECT FROM'));
  assert.equal(malformed.errorCode, 'MALFORMED_QUERY');
});

test('composite runs subrequests in order with references between them', async () => {
  const person = `+7${run}1`;
  const answer = await conn.requestPost(`/services/data/v${version}/composite`, {
    allOrNone: false,
    compositeRequest: [
      { method: 'PATCH', url: `/services/data/v${version}/sobjects/Contact/WhatsApp_Id__c/${encodeURIComponent(person)}`,
        referenceId: 'person', body: { LastName: 'G' } },
      { method: 'GET', url: `/services/data/v${version}/sobjects/Contact/@{person.id}`, referenceId: 'read' },
    ],
  });
  assert.equal(answer.compositeResponse[0].httpStatusCode, 201);
  assert.equal(answer.compositeResponse[1].body.LastName, 'G');
});

test('composite resolves a reference into a query result and rolls back with allOrNone', async () => {
  const person = `+8${run}1`;
  await conn.sobject('Contact').upsert({ LastName: 'H', WhatsApp_Id__c: person }, 'WhatsApp_Id__c');
  const soql = encodeURIComponent(`SELECT Id FROM Contact WHERE WhatsApp_Id__c = '${person}'`);
  const answer = await conn.requestPost(`/services/data/v${version}/composite`, {
    allOrNone: true,
    compositeRequest: [
      { method: 'GET', url: `/services/data/v${version}/query?q=${soql}`, referenceId: 'q' },
      { method: 'PATCH', url: `/services/data/v${version}/sobjects/Contact/@{q.records[0].Id}`, referenceId: 'rename',
        body: { LastName: 'H renamed' } },
      { method: 'POST', url: `/services/data/v${version}/sobjects/Contact`, referenceId: 'bad', body: { WhatsApp_Id__c: `+8${run}2` } },
    ],
  });
  assert.equal(answer.compositeResponse[2].httpStatusCode, 400);
  assert.equal(answer.compositeResponse[1].body[0].errorCode, 'PROCESSING_HALTED');
  const kept = await conn.query(`SELECT LastName FROM Contact WHERE WhatsApp_Id__c = '${person}'`);
  assert.equal(kept.records[0].LastName, 'H', 'the rename was rolled back');
});

test('errors: a wrong session is 401 INVALID_SESSION_ID, a missing record 404', async () => {
  const stranger = new jsforce.Connection({ instanceUrl: conn.instanceUrl, accessToken: 'not-a-session', version });
  const expired = await refusal(() => stranger.query('SELECT Id FROM Contact'));
  assert.equal(expired.errorCode, 'INVALID_SESSION_ID');
  const missing = await refusal(() => conn.sobject('Contact').retrieve('003000000009999AAA'));
  assert.equal(missing.errorCode, 'NOT_FOUND');
});

test('Salesforce Files: a ContentVersion inserted on a record is linked to it, with its size; org fields are refused', async () => {
  const contact = await conn.sobject('Contact').create({ LastName: 'Files', WhatsApp_Id__c: `+3${run}1` });
  const bytes = Buffer.from(`%PDF-1.7 invoice of ${run}`);
  const created = await conn.sobject('ContentVersion').create({ Title: 'Invoice', PathOnClient: 'invoice.pdf',
    FirstPublishLocationId: contact.id, VersionData: bytes.toString('base64') });
  assert.equal(created.success, true);
  assert.match(created.id, /^068/);
  const version = await conn.query(`SELECT ContentDocumentId, ContentSize, FileExtension, FirstPublishLocationId FROM ContentVersion WHERE Id = '${created.id}'`);
  assert.equal(version.records[0].ContentSize, bytes.length);
  assert.equal(version.records[0].FileExtension, 'pdf');
  assert.equal(version.records[0].FirstPublishLocationId, contact.id);
  assert.match(version.records[0].ContentDocumentId, /^069/);
  const refused = await refusal(() => conn.sobject('ContentVersion').create({ PathOnClient: 'x.pdf', ContentSize: 3,
    VersionData: bytes.toString('base64') }));
  assert.equal(refused.errorCode, 'INVALID_FIELD_FOR_INSERT_UPDATE');
});

test('a Task of subtype Call goes on a Contact and is updated by its id; a WhoId of another object is refused', async () => {
  const contact = await conn.sobject('Contact').create({ LastName: 'Caller', WhatsApp_Id__c: `+3${run}2` });
  const task = await conn.sobject('Task').create({ Subject: 'WhatsApp call from the customer', Status: 'In Progress',
    Priority: 'Normal', TaskSubtype: 'Call', CallType: 'Inbound', WhoId: contact.id, WhatsApp_Call_Id__c: `wacid.${run}` });
  assert.equal(task.success, true);
  await conn.sobject('Task').update({ Id: task.id, Status: 'Completed', CallDurationInSeconds: 120 });
  const read = await conn.query(`SELECT Status, CallDurationInSeconds, WhoId FROM Task WHERE WhatsApp_Call_Id__c = 'wacid.${run}'`);
  assert.equal(read.records[0].Status, 'Completed');
  assert.equal(read.records[0].CallDurationInSeconds, 120);
  assert.equal(read.records[0].WhoId, contact.id);
  const wrongWho = await refusal(() => conn.sobject('Task').create({ Subject: 'x', Status: 'Open', Priority: 'Normal',
    WhoId: '500000000000001AAA' }));
  assert.equal(wrongWho.errorCode, 'FIELD_INTEGRITY_EXCEPTION');
  const noStatus = await refusal(() => conn.sobject('Task').create({ Subject: 'x' }));
  assert.equal(noStatus.errorCode, 'REQUIRED_FIELD_MISSING');
});
