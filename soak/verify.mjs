// Checks every client against the runs' truth and sums the figures per kind of client.

const KINDS = ['json-live', 'json-from-start', 'controller', 'reference']

function emptyTotals(kind) {
  return {
    kind,
    clients: 0,
    opens: 0,
    reconnects: 0,
    cleanCloses: 0,
    terminates: 0,
    serverCloses: 0,
    slowConsumerCloses: 0,
    failedConnects: 0,
    /** Samples the server drew while the client was a member (first connect to end of run). */
    drawnWhileMember: 0,
    /** Of those, what lossless resume must deliver (all of it, except tails of abrupt restarts). */
    expected: 0,
    received: 0,
    missing: 0,
    duplicates: 0,
    gapsAnnounced: 0,
    disagreements: 0,
    onesMismatches: 0,
    stateOrderViolations: 0,
    /** Lost by design: tails of runs that ended abruptly while the client was away. */
    tailLostByDesign: 0,
    /** Reference clients: what they missed while away (by design; estimated). */
    missedWhileAway: 0,
    malformed: 0,
    clientsWithMissing: 0,
    receivedPerClient: []
  }
}

/**
 * @param {{ runs: import('./ledger.mjs').Run[], jsonClients: import('./clients.mjs').JsonClient[],
 *           referenceClients: import('./clients.mjs').ReferenceClient[] }} input
 *        jsonClients includes the controller.
 */
export function verifyClients({ runs, jsonClients, referenceClients }) {
  const totals = Object.fromEntries(KINDS.map((kind) => [kind, emptyTotals(kind)]))
  const problems = []
  const perClient = []
  const byStream = new Map(runs.map((run) => [run.streamId, run]))

  for (const client of jsonClients) {
    const t = totals[client.kind]
    addConnectionFigures(t, client)
    const firstIndex = client.firstRun ? (byStream.get(client.firstRun)?.index ?? -1) : Infinity
    let clientExpected = 0
    let clientReceived = 0
    let clientMissing = 0
    let clientTailLost = 0
    const detailRuns = []
    for (const recordStreamId of client.runs.keys()) {
      if (!byStream.has(recordStreamId)) {
        problems.push(`client ${client.id}: greeted by unknown stream ${recordStreamId}`)
      }
    }
    for (const run of runs) {
      const record = client.runs.get(run.streamId)
      const lastSeq = run.truthLastSeq
      if (!record) {
        if (run.index <= firstIndex) continue
        // Joined earlier runs but never this one.
        t.drawnWhileMember += lastSeq
        if (run.isGraceful) {
          t.expected += lastSeq
          t.missing += lastSeq
          clientExpected += lastSeq
          clientMissing += lastSeq
          problems.push(
            `client ${client.id} (${client.kind}): never connected to run ${run.index} (${lastSeq} samples)`
          )
        } else {
          t.tailLostByDesign += lastSeq
          clientTailLost += lastSeq
        }
        continue
      }
      if (run.endKind === null) problems.push(`run ${run.index} (${run.streamId}) never ended`)
      const owedEnd = run.isGraceful || record.endedByServer ? lastSeq : record.last
      const expected = Math.max(0, owedEnd - record.start + 1)
      const tail = Math.max(0, owedEnd - record.last)
      const missing = record.holeTotal + tail
      const tailLost = owedEnd === lastSeq ? 0 : lastSeq - record.last
      if (record.last > lastSeq) {
        problems.push(
          `client ${client.id}: holds seq ${record.last} of run ${run.index}, beyond its last sample ${lastSeq}`
        )
      }
      if (record.count + record.holeTotal + record.gapCovered !== record.last - record.start + 1) {
        problems.push(`client ${client.id}: harness bookkeeping inconsistent in run ${run.index}`)
      }
      let onesMismatch = false
      if (record.count > 0 && record.holeTotal === 0 && record.gapCovered === 0) {
        onesMismatch = run.onesBetween(record.start, record.last) !== record.ones
      }
      t.drawnWhileMember += expected + tailLost
      t.expected += expected
      t.received += record.count
      t.missing += missing
      t.duplicates += record.duplicates
      t.gapsAnnounced += record.gapTotal
      t.disagreements += record.disagreements
      t.onesMismatches += onesMismatch ? 1 : 0
      t.stateOrderViolations += record.stateOrderViolations
      t.tailLostByDesign += tailLost
      clientExpected += expected
      clientReceived += record.count
      clientMissing += missing
      clientTailLost += tailLost
      if (missing > 0) {
        problems.push(
          `client ${client.id} (${client.kind}) run ${run.index} (${run.endKind}): missing ${missing}: ` +
            `owed ${record.start}..${owedEnd}, holds up to ${record.last}` +
            (record.holes.length ? `, holes ${JSON.stringify(record.holes.slice(0, 5))}` : '') +
            ` after ${record.connections} connection(s)`
        )
      }
      if (record.duplicates > 0) {
        problems.push(
          `client ${client.id} run ${run.index}: ${record.duplicates} duplicates, first ${JSON.stringify(record.firstDuplicate)}`
        )
      }
      if (record.gapTotal > 0) {
        problems.push(
          `client ${client.id} run ${run.index}: gaps announced ${JSON.stringify(record.gapsAnnounced.slice(0, 5))}`
        )
      }
      if (record.stateOrderViolations > 0) {
        problems.push(
          `client ${client.id} run ${run.index}: ${record.stateOrderViolations} state events out of order, first ${JSON.stringify(record.firstStateViolation)}`
        )
      }
      detailRuns.push({
        run: run.index,
        start: record.start,
        owedEnd,
        last: record.last,
        received: record.count,
        ones: record.ones,
        missing,
        duplicates: record.duplicates,
        gapsAnnounced: record.gapTotal,
        tailLostByDesign: tailLost,
        connections: record.connections
      })
    }
    t.malformed += client.malformed
    t.receivedPerClient.push(clientReceived)
    if (clientMissing > 0) t.clientsWithMissing++
    perClient.push({
      id: client.id,
      kind: client.kind,
      opens: client.opens,
      expected: clientExpected,
      received: clientReceived,
      missing: clientMissing,
      tailLostByDesign: clientTailLost,
      runs: detailRuns
    })
  }

  const byIndex = new Map(runs.map((run) => [run.index, run]))
  for (const client of referenceClients) {
    const t = totals.reference
    addConnectionFigures(t, client)
    let owedTotal = 0
    let receivedTotal = 0
    for (const [index, record] of client.runs) {
      const run = byIndex.get(index)
      if (!run) continue
      const owed = Math.max(0, run.truthLastSeq - record.estStart + 1)
      owedTotal += owed
      receivedTotal += record.received
    }
    t.drawnWhileMember += owedTotal
    t.received += receivedTotal
    t.missedWhileAway += Math.max(0, owedTotal - receivedTotal)
    t.malformed += client.malformed
    t.receivedPerClient.push(receivedTotal)
    perClient.push({
      id: client.id,
      kind: client.kind,
      opens: client.opens,
      drawnWhileMemberApprox: owedTotal,
      received: receivedTotal
    })
  }

  for (const t of Object.values(totals)) {
    t.receivedPerClient.sort((a, b) => a - b)
  }
  return { totals, problems, perClient }
}

function addConnectionFigures(t, client) {
  t.clients++
  t.opens += client.opens
  t.reconnects += Math.max(0, client.opens - 1)
  t.cleanCloses += client.cleanCloses
  t.terminates += client.terminates
  t.serverCloses += client.serverCloses
  t.slowConsumerCloses += client.slowConsumerCloses
  t.failedConnects += client.failedConnects
}
