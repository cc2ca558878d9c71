import { test } from 'retransmit:test'
import { check } from './trace-check'

test('the client: three-way handshake, then it closes first and waits in TIME-WAIT', () => {
  check(
    'active open, active close',
    [
      { dir: 'out', flags: ['SYN'], seq: 100 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 300, ack: 101 },
      { dir: 'out', flags: ['ACK'], seq: 101, ack: 301 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 101, ack: 301 },
      { dir: 'in', flags: ['ACK'], seq: 301, ack: 102 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 301, ack: 102 },
      { dir: 'out', flags: ['ACK'], seq: 102, ack: 302 },
      { timer: '2msl' }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'TIME-WAIT', 'CLOSED'],
    'RFC 9293 §3.5 figure 6 and §3.6 figure 12: the side that closes first goes FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, and leaves TIME-WAIT only when 2 MSL have passed'
  )
})

test('the server: listen, handshake, the peer closes first, then the server', () => {
  check(
    'passive open, passive close',
    [
      { app: 'listen' },
      { dir: 'in', flags: ['SYN'], seq: 100 },
      { dir: 'out', flags: ['SYN', 'ACK'], seq: 300, ack: 101 },
      { dir: 'in', flags: ['ACK'], seq: 101, ack: 301 },
      { dir: 'in', flags: ['FIN', 'ACK'], seq: 101, ack: 301 },
      { dir: 'out', flags: ['ACK'], seq: 301, ack: 102 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 301, ack: 102 },
      { dir: 'in', flags: ['ACK'], seq: 102, ack: 302 }
    ],
    ['LISTEN', 'SYN-RECEIVED', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'],
    'the passive closer goes CLOSE-WAIT (its application has not closed yet), LAST-ACK once it sends its FIN, and CLOSED when that FIN is acknowledged: no TIME-WAIT on this side'
  )
})

test('an ACK that does not cover our FIN leaves FIN-WAIT-1 alone', () => {
  check(
    'data still being acknowledged',
    [
      { dir: 'out', flags: ['SYN'], seq: 1000 },
      { dir: 'in', flags: ['SYN', 'ACK'], seq: 5000, ack: 1001 },
      { dir: 'out', flags: ['ACK'], seq: 1001, ack: 5001, len: 10 },
      { dir: 'out', flags: ['FIN', 'ACK'], seq: 1011, ack: 5001 },
      { dir: 'in', flags: ['ACK'], seq: 5001, ack: 1011 },
      { dir: 'in', flags: ['ACK'], seq: 5001, ack: 1012 }
    ],
    ['SYN-SENT', 'ESTABLISHED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-1', 'FIN-WAIT-2'],
    'the FIN sent at seq 1011 is acknowledged only by ack 1012 (a FIN takes one sequence number, RFC 9293 §3.4); ack 1011 covers the data before it'
  )
})
