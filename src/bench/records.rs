//! The records the workloads produce, built cheaply (see [`Records`]).

use super::{KEY_BYTES, VALUE_BYTES};
use crate::engine::ProducerRecord;

/// The records the workloads produce, in order: record `i` has key `i % keys` (8 digits) and a
/// 100-byte value starting with `i` (10 digits), so the latest value of each key can be checked
/// after compaction. The digits are counted up in place: building a record should cost little
/// next to producing it (a division per digit was a third of the time in wasm).
pub struct Records {
    keys: u64,
    /// `i % keys`.
    k: u64,
    key: [u8; KEY_BYTES],
    value: [u8; VALUE_BYTES],
}

impl Records {
    pub fn new(keys: u64) -> Records {
        let mut value = [b'x'; VALUE_BYTES];
        value[..10].fill(b'0');
        Records {
            keys: keys.max(1),
            k: 0,
            key: [b'0'; KEY_BYTES],
            value,
        }
    }

    pub fn next(&mut self) -> ProducerRecord {
        let record = ProducerRecord {
            key: Some(self.key.to_vec()),
            value: Some(self.value.to_vec()),
            ..Default::default()
        };
        self.advance();
        record
    }

    /// The next record without its key.
    pub fn next_unkeyed(&mut self) -> ProducerRecord {
        let record = ProducerRecord {
            value: Some(self.value.to_vec()),
            ..Default::default()
        };
        self.advance();
        record
    }

    fn advance(&mut self) {
        increment(&mut self.value[..10]);
        self.k += 1;
        if self.k == self.keys {
            self.k = 0;
            self.key = [b'0'; KEY_BYTES];
        } else {
            increment(&mut self.key);
        }
    }
}

/// Adds one to a number written in ASCII digits.
fn increment(digits: &mut [u8]) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_keyed_100_byte_values_that_name_their_index() {
        let mut source = Records::new(10_000);
        let mut nth = |n: usize| (0..n).map(|_| source.next()).last().unwrap();
        assert_eq!(nth(10_000).key.as_deref(), Some(&b"00009999"[..]));
        assert_eq!(nth(1).key.as_deref(), Some(&b"00000000"[..]));
        let r = nth(1_224_567);
        assert_eq!(r.key.as_deref(), Some(&b"00004567"[..]));
        let value = r.value.as_deref().unwrap();
        assert_eq!((value.len(), &value[..10]), (100, &b"0001234567"[..]));
        assert!(Records::new(1).next_unkeyed().key.is_none());
    }
}
