import { test } from 'retransmit:test'
import { check } from './trace-check'

test('simultaneous open: both SYNs cross, both sides go through SYN-RECEIVED (figure 7)', () => {
  check(
    'simultaneous open',
    [
      { dir: 'out', flags: ['SYN'], seq: 100 },
      { dir: 'in', flags: ['SYN'], seq: 300 },
      { dir: 'out', flags: ['SYN', 'ACK'], seq: 100, ack: 301 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 300, ack: 101 }
    ],
    ['SYN-SENT', 'SYN-RECEIVED', 'SYN-RECEIVED', 'ESTABLISHED'],
    'a SYN without ACK in SYN-SENT is the peer opening at the same moment: go to SYN-RECEIVED (RFC 9293 §3.5, MUST-10); its SYN-ACK then acknowledges our SYN'
  )
})

test('simultaneous close: both FINs cross, CLOSING, then TIME-WAIT on both sides (figure 13)', () => {
  check(
    'simultaneous close',
    [
      { dir: 'out', flags: ['SYN'], seq: 199 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 499, ack: 200 },
      { dir: 'out', flags: ['ACK'], seq: 200, ack: 500 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 200, ack: 500 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 500, ack: 200 },
      { dir: 'out', flags: ['ACK'], seq: 201, ack: 501 },
      { dir: 'in', flags: ['ACK'], seq: 501, ack: 201 },
      { timer: '2msl' }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'CLOSING', 'TIME-WAIT', 'CLOSED'],
    "the peer's FIN arrives before the ACK of ours (its ack=200 does not cover our FIN at 200): that is CLOSING, and the ACK of our FIN then leads to TIME-WAIT"
  )
})

test('the last ACK of the handshake can carry the FIN: SYN-RECEIVED to ESTABLISHED to CLOSE-WAIT in one segment', () => {
  check(
    'request and FIN right after the handshake',
    [
      { app: 'listen' },
      { dir: 'in', flags: ['SYN'], seq: 40 },
      { dir: 'out', flags: ['SYN', 'ACK'], seq: 800, ack: 41 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 41, ack: 801, len: 12 }
    ],
    ['LISTEN', 'SYN-RECEIVED', 'SYN-RECEIVED', 'CLOSE-WAIT'],
    'the ACK (801 covers our SYN at 800) makes the connection ESTABLISHED, and then its FIN makes it CLOSE-WAIT: take the ACK before the FIN'
  )
})

test('a FIN that also acknowledges our FIN goes from FIN-WAIT-1 straight to TIME-WAIT', () => {
  check(
    'FIN+ACK in one segment',
    [
      { dir: 'out', flags: ['SYN'], seq: 10 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 90, ack: 11 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 11, ack: 91, len: 4 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 91, ack: 16 }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'TIME-WAIT'],
    'process the ACK first (it covers our FIN: 11 + 4 data bytes + 1 = 16), then the FIN: FIN-WAIT-2 plus a FIN is TIME-WAIT (RFC 9293 §3.10.7.4, the FIN bit check)'
  )
})

test('sequence numbers wrap at 2^32: a FIN at 4294967295 is acknowledged by 0', () => {
  check(
    'wraparound',
    [
      { dir: 'out', flags: ['SYN'], seq: 4294967290 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 7, ack: 4294967291 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 4294967291, ack: 8, len: 4 },
      { dir: 'in', flags: ['ACK'], seq: 8, ack: 0 }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2'],
    'sequence arithmetic is modulo 2^32 (RFC 9293 §3.4): 4294967291 + 4 bytes + 1 for the FIN is 0'
  )
})

test('resets: believed in SYN-SENT only when they acknowledge our SYN; a passive SYN-RECEIVED returns to LISTEN', () => {
  check(
    'RST in SYN-SENT',
    [
      { dir: 'out', flags: ['SYN'], seq: 1000 },
      { dir: 'in', flags: ['RST', 'ACK'], seq: 0, ack: 999 },
      { dir: 'in', flags: ['RST', 'ACK'], seq: 0, ack: 1001 }
    ],
    ['SYN-SENT', 'SYN-SENT', 'CLOSED'],
    'in SYN-SENT a reset counts only if its ACK acknowledges our SYN (RFC 9293 §3.10.7.3); a blind reset with another ack is ignored'
  )
  check(
    'RST in SYN-RECEIVED',
    [
      { app: 'listen' },
      { dir: 'in', flags: ['SYN'], seq: 50 },
      { dir: 'out', flags: ['SYN', 'ACK'], seq: 700, ack: 51 },
      { dir: 'in', flags: ['RST'], seq: 51 }
    ],
    ['LISTEN', 'SYN-RECEIVED', 'SYN-RECEIVED', 'LISTEN'],
    'a connection that came from a passive open goes back to LISTEN on a reset, so the server keeps listening (RFC 9293 §3.10.7.4)'
  )
  check(
    'RST when established',
    [
      { dir: 'out', flags: ['SYN'], seq: 1 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 9, ack: 2 },
      { dir: 'in', flags: ['RST'], seq: 10 }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'CLOSED'],
    'a reset in a synchronized state ends the connection'
  )
})

test('stale ACKs in LAST-ACK and CLOSING change nothing; the 2 MSL timer matters only in TIME-WAIT', () => {
  check(
    'passive close with a stale ACK',
    [
      { app: 'listen' },
      { dir: 'in', flags: ['SYN'], seq: 100 },
      { dir: 'out', flags: ['SYN', 'ACK'], seq: 300, ack: 101 },
      { dir: 'in', flags: ['ACK'], seq: 101, ack: 301 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 101, ack: 301 },
      { timer: '2msl' },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 301, ack: 102, len: 20 },
      { dir: 'in', flags: ['ACK'], seq: 102, ack: 321 },
      { dir: 'in', flags: ['ACK'], seq: 102, ack: 322 }
    ],
    [
      'LISTEN',
      'SYN-RECEIVED',
      'SYN-RECEIVED',
      'ESTABLISHED',
      'CLOSE-WAIT',
      'CLOSE-WAIT',
      'LAST-ACK',
      'LAST-ACK',
      'CLOSED'
    ],
    'our FIN went out after 20 bytes of data at seq 301, so only ack 322 covers it; the timer does nothing outside TIME-WAIT'
  )
  check(
    'listen, then close',
    [{ app: 'listen' }, { app: 'close' }],
    ['LISTEN', 'CLOSED'],
    'closing a listening socket deletes it (RFC 9293 §3.10.4)'
  )
})
