//! A segment's records as the batches of its `.log` file, in Kafka's v2 format
//! (`DefaultRecordBatch`): what `kafka-dump-log.sh` prints and `kafka-log-dirs.sh` sums.
//!
//! Records a producer batch brought (the log keeps its header: producer id, epoch, base
//! sequence, codec) are one batch, with the batch's first and last offsets even after
//! compaction removed some of its records (`MemoryRecords.filterTo` keeps them). Other records
//! are each a batch of their own, without producer state, as a producer that is not idempotent
//! and sends one record a request writes them. A compressed batch is laid out uncompressed:
//! its codec is shown, its size is the uncompressed one.
//!
//! Invariant: `encode(batch).len() == batch_size(batch)`.

use crate::engine::RecordRef;
use crate::engine::producer_batch::{
    BatchHeader, Compression, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, NO_SEQUENCE,
};

/// One batch of a segment file.
#[derive(Debug, Clone)]
pub(super) struct BatchView<'a> {
    pub records: Vec<RecordRef<'a>>,
    /// The producer batch's header; `None` for a record of its own.
    pub header: Option<BatchHeader>,
    pub position: i64,
    pub size: i64,
    /// Set on a batch holding a tombstone the cleaner kept (`deleteHorizonMs`).
    pub delete_horizon: Option<i64>,
}

impl BatchView<'_> {
    pub fn base_offset(&self) -> i64 {
        self.header.map_or_else(
            || self.records.first().map_or(0, |r| r.offset),
            |h| h.base_offset,
        )
    }

    pub fn last_offset(&self) -> i64 {
        self.header.map_or_else(
            || self.records.last().map_or(0, |r| r.offset),
            |h| h.last_offset,
        )
    }

    /// `maxTimestamp`: what the batch line prints as `CreateTime`.
    pub fn max_timestamp(&self) -> i64 {
        self.records.iter().map(|r| r.timestamp).max().unwrap_or(-1)
    }

    fn base_timestamp(&self) -> i64 {
        self.delete_horizon
            .unwrap_or_else(|| self.records.first().map_or(0, |r| r.timestamp))
    }

    pub fn producer_id(&self) -> i64 {
        self.header.map_or(NO_PRODUCER_ID, |h| h.producer_id)
    }

    pub fn producer_epoch(&self) -> i16 {
        self.header.map_or(NO_PRODUCER_EPOCH, |h| h.producer_epoch)
    }

    pub fn base_sequence(&self) -> i32 {
        self.header.map_or(NO_SEQUENCE, |h| h.base_sequence)
    }

    pub fn last_sequence(&self) -> i32 {
        self.header.map_or(NO_SEQUENCE, |h| h.last_sequence())
    }

    pub fn is_transactional(&self) -> bool {
        self.header.is_some_and(|h| h.is_transactional)
    }

    pub fn is_control(&self) -> bool {
        self.header.is_some_and(|h| h.is_control)
    }

    pub fn compression(&self) -> Compression {
        self.header.map_or(Compression::None, |h| h.compression)
    }

    /// `DefaultRecord.sequence`: the base sequence plus the record's offset delta.
    pub fn sequence_of(&self, r: &RecordRef<'_>) -> i32 {
        match self.base_sequence() {
            NO_SEQUENCE => NO_SEQUENCE,
            base => base.wrapping_add((r.offset - self.base_offset()) as i32) & i32::MAX,
        }
    }

    /// The batch's attributes: codec, transactional, delete horizon.
    fn attributes(&self) -> i16 {
        let mut a = self.compression().id();
        if self.is_transactional() {
            a |= 0x10;
        }
        if self.is_control() {
            a |= 0x20;
        }
        if self.delete_horizon.is_some() {
            a |= 0x40;
        }
        a
    }
}

/// Calls `f` with each batch of `records` below `end`, in order: records within one of
/// `headers` together, others one by one. `horizon` is the segment's delete horizon, set on
/// the batches holding a tombstone.
pub(super) fn for_each_batch<'a>(
    records: impl Iterator<Item = RecordRef<'a>>,
    headers: &[BatchHeader],
    end: i64,
    horizon: Option<i64>,
    mut f: impl FnMut(BatchView<'a>),
) {
    let mut h = 0;
    let mut current: Option<BatchView<'a>> = None;
    let finish = |b: Option<BatchView<'a>>, f: &mut dyn FnMut(BatchView<'a>)| {
        if let Some(mut b) = b {
            b.delete_horizon = horizon.filter(|_| b.records.iter().any(|r| r.value.is_none()));
            b.size = batch_size(&b);
            f(b);
        }
    };
    for r in records.take_while(|r| r.offset < end) {
        while headers.get(h).is_some_and(|x| x.last_offset < r.offset) {
            h += 1;
        }
        let header = headers
            .get(h)
            .filter(|x| x.base_offset <= r.offset)
            .copied();
        match (&mut current, header) {
            (Some(b), Some(hd)) if b.header == Some(hd) => b.records.push(r),
            _ => {
                finish(current.take(), &mut f);
                current = Some(BatchView {
                    records: vec![r],
                    header,
                    position: 0,
                    size: 0,
                    delete_horizon: None,
                });
            }
        }
    }
    finish(current, &mut f);
}

// ---- the v2 record batch format -------------------------------------------------------------

/// Bytes of a zig-zag varint/varlong (`ByteUtils.sizeOfVarlong`).
pub(super) fn varint_len(v: i64) -> i64 {
    crate::engine::record::varint_len(v) as i64
}

pub(super) fn put_varint(buf: &mut Vec<u8>, v: i64) {
    let mut u = ((v << 1) ^ (v >> 63)) as u64;
    while u >= 0x80 {
        buf.push((u as u8 & 0x7f) | 0x80);
        u >>= 7;
    }
    buf.push(u as u8);
}

fn bytes_len(b: Option<&[u8]>) -> i64 {
    b.map_or(1, |b| varint_len(b.len() as i64) + b.len() as i64)
}

fn put_bytes(buf: &mut Vec<u8>, b: Option<&[u8]>) {
    match b {
        None => put_varint(buf, -1),
        Some(b) => {
            put_varint(buf, b.len() as i64);
            buf.extend_from_slice(b);
        }
    }
}

/// `DefaultRecord.sizeInBytes` without its own length prefix.
fn record_body_len(r: &RecordRef<'_>, base_offset: i64, base_timestamp: i64) -> i64 {
    let headers: i64 = r
        .headers
        .iter()
        .map(|h| bytes_len(Some(h.key.as_bytes())) + bytes_len(h.value.as_deref()))
        .sum();
    1 + varint_len(r.timestamp.wrapping_sub(base_timestamp))
        + varint_len(r.offset - base_offset)
        + bytes_len(r.key)
        + bytes_len(r.value)
        + varint_len(r.headers.len() as i64)
        + headers
}

/// `DefaultRecordBatch.sizeInBytes`: 61 bytes of header, then the records.
pub(super) fn batch_size(b: &BatchView<'_>) -> i64 {
    let (base, ts) = (b.base_offset(), b.base_timestamp());
    61 + b
        .records
        .iter()
        .map(|r| {
            let body = record_body_len(r, base, ts);
            varint_len(body) + body
        })
        .sum::<i64>()
}

/// The batch as `DefaultRecordBatch` lays it out (the CRC covers bytes 21.. and is left 0).
pub(super) fn encode(b: &BatchView<'_>, leader_epoch: i32) -> Vec<u8> {
    let (base, base_timestamp) = (b.base_offset(), b.base_timestamp());
    let size = batch_size(b);
    let mut buf = Vec::with_capacity(size as usize);
    buf.extend_from_slice(&base.to_be_bytes());
    buf.extend_from_slice(&((size - 12) as i32).to_be_bytes());
    buf.extend_from_slice(&leader_epoch.to_be_bytes());
    buf.push(2); // magic
    buf.extend_from_slice(&0u32.to_be_bytes()); // crc
    buf.extend_from_slice(&b.attributes().to_be_bytes());
    buf.extend_from_slice(&((b.last_offset() - base) as i32).to_be_bytes());
    buf.extend_from_slice(&base_timestamp.to_be_bytes());
    buf.extend_from_slice(&b.max_timestamp().to_be_bytes());
    buf.extend_from_slice(&b.producer_id().to_be_bytes());
    buf.extend_from_slice(&b.producer_epoch().to_be_bytes());
    buf.extend_from_slice(&b.base_sequence().to_be_bytes());
    buf.extend_from_slice(&(b.records.len() as i32).to_be_bytes());
    for r in &b.records {
        put_varint(&mut buf, record_body_len(r, base, base_timestamp));
        buf.push(0); // record attributes
        put_varint(&mut buf, r.timestamp.wrapping_sub(base_timestamp));
        put_varint(&mut buf, r.offset - base);
        put_bytes(&mut buf, r.key);
        put_bytes(&mut buf, r.value);
        put_varint(&mut buf, r.headers.len() as i64);
        for h in r.headers {
            put_bytes(&mut buf, Some(h.key.as_bytes()));
            put_bytes(&mut buf, h.value.as_deref());
        }
    }
    buf
}

/// CRC-32C (Castagnoli), as `Crc32C` computes a batch's checksum.
pub(super) fn crc32c(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0x82F6_3B78
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !data.iter().fold(!0u32, |crc, &b| {
        TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8)
    })
}

/// The checksum the batch line prints: over the attributes onwards.
pub(super) fn checksum(b: &BatchView<'_>, leader_epoch: i32) -> u32 {
    crc32c(encode(b, leader_epoch).get(21..).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Header, Record};

    fn record(offset: i64, key: Option<&str>, value: Option<&str>) -> Record {
        Record {
            offset,
            timestamp: 1_735_689_600_000,
            key: key.map(|k| k.as_bytes().to_vec()),
            value: value.map(|v| v.as_bytes().to_vec()),
            headers: vec![],
        }
    }

    fn single<'a>(r: &'a Record, horizon: Option<i64>) -> BatchView<'a> {
        let mut b = BatchView {
            records: vec![r.view()],
            header: None,
            position: 0,
            size: 0,
            delete_horizon: horizon,
        };
        b.size = batch_size(&b);
        b
    }

    #[test]
    fn crc32c_matches_the_standard_check_value() {
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
    }

    #[test]
    fn batches_are_61_bytes_of_header_then_the_records() {
        // key "k1", value "hello": record body 1+1+1+(1+2)+(1+5)+1 = 13, plus its length byte.
        let r = record(7, Some("k1"), Some("hello"));
        assert_eq!(batch_size(&single(&r, None)), 61 + 14);
        assert_eq!(encode(&single(&r, None), 0).len(), 61 + 14);
        let mut with_headers = record(7, None, None);
        with_headers.headers = vec![
            Header {
                key: "h".into(),
                value: Some(b"v".to_vec()),
            },
            Header {
                key: "n".into(),
                value: None,
            },
        ];
        for horizon in [None, Some(1_735_776_000_000)] {
            let b = single(&with_headers, horizon);
            assert_eq!(encode(&b, 3).len() as i64, b.size);
        }
        // Three records in one batch: the second and third carry offset deltas 1 and 2.
        let rs = [
            record(10, None, Some("a")),
            record(11, None, Some("b")),
            record(12, None, Some("c")),
        ];
        let header = BatchHeader {
            base_offset: 10,
            last_offset: 12,
            producer_id: 0,
            producer_epoch: 0,
            base_sequence: 0,
            compression: Compression::Gzip,
            is_transactional: false,
            is_control: false,
        };
        let mut views = Vec::new();
        for_each_batch(
            rs.iter().map(Record::view),
            &[header],
            i64::MAX,
            None,
            |b| views.push(b),
        );
        assert_eq!(views.len(), 1);
        // Each record: body 1 + 1 + 1 + 1 (null key) + 2 + 1 = 7, and 1 length byte.
        assert_eq!(views[0].size, 61 + 3 * 8);
        assert_eq!(encode(&views[0], 0).len() as i64, views[0].size);
        assert_eq!(views[0].sequence_of(&rs[2].view()), 2);
        assert_eq!(views[0].attributes(), 1);
    }

    #[test]
    fn the_crc_covers_attributes_onwards_not_the_leader_epoch() {
        let r = record(7, Some("k"), Some("v"));
        let a = checksum(&single(&r, None), 0);
        assert_eq!(a, checksum(&single(&r, None), 5));
        assert_ne!(a, checksum(&single(&r, Some(1)), 0));
    }

    #[test]
    fn varints_are_zigzag() {
        let enc = |v: i64| {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            b
        };
        assert_eq!(enc(0), [0]);
        assert_eq!(enc(-1), [1]);
        assert_eq!(enc(1), [2]);
        assert_eq!(enc(64), [0x80, 0x01]);
        assert_eq!(varint_len(-86_400_000), enc(-86_400_000).len() as i64);
    }
}
