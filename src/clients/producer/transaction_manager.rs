//! `TransactionManager`: the transactional producer's state machine. `initTransactions` gets
//! the id's producer id and epoch (fencing older producers of the id), `beginTransaction`
//! opens a transaction locally, the first batch to a partition adds it to the transaction
//! (`AddPartitionsToTxn`), and `commitTransaction` / `abortTransaction` send `EndTxn` after the
//! batches are flushed. A fenced producer is in a fatal error state: every later call fails.
//!
//! Invariant: partitions are added only while `IN_TRANSACTION`; a fatal error is never left.

use crate::engine::TopicPartition;
use crate::engine::error::{ErrorCode, KafkaError};

const ILLEGAL_STATE: &str = "java.lang.IllegalStateException";
const KAFKA_EXCEPTION: &str = "org.apache.kafka.common.KafkaException";
const FENCED: &str = "org.apache.kafka.common.errors.ProducerFencedException";

/// `TransactionManager.State`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Uninitialized,
    Initializing,
    Ready,
    InTransaction,
    CommittingTransaction,
    AbortingTransaction,
    AbortableError,
    FatalError,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Uninitialized => "UNINITIALIZED",
            State::Initializing => "INITIALIZING",
            State::Ready => "READY",
            State::InTransaction => "IN_TRANSACTION",
            State::CommittingTransaction => "COMMITTING_TRANSACTION",
            State::AbortingTransaction => "ABORTING_TRANSACTION",
            State::AbortableError => "ABORTABLE_ERROR",
            State::FatalError => "FATAL_ERROR",
        }
    }

    /// `State.isTransitionValid`.
    fn can_become(self, target: State) -> bool {
        use State::*;
        match target {
            Uninitialized => matches!(self, Ready | AbortableError),
            Initializing => matches!(self, Uninitialized | AbortingTransaction),
            Ready => matches!(
                self,
                Initializing | CommittingTransaction | AbortingTransaction
            ),
            InTransaction => self == Ready,
            CommittingTransaction => self == InTransaction,
            AbortingTransaction => matches!(self, InTransaction | AbortableError),
            AbortableError => matches!(
                self,
                InTransaction | CommittingTransaction | AbortableError | AbortingTransaction
            ),
            FatalError => true,
        }
    }
}

/// The error that put the producer in an error state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LastError {
    Fenced,
    InvalidEpoch,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionManager {
    pub transactional_id: String,
    pub timeout_ms: i64,
    state: State,
    /// The producer id and epoch from `InitProducerId`.
    producer_id_and_epoch: Option<(i64, i16)>,
    /// The partitions added to the open transaction.
    added: Vec<TopicPartition>,
    last_error: Option<LastError>,
}

impl TransactionManager {
    pub fn new(transactional_id: String, timeout_ms: i64) -> TransactionManager {
        TransactionManager {
            transactional_id,
            timeout_ms,
            state: State::Uninitialized,
            producer_id_and_epoch: None,
            added: Vec::new(),
            last_error: None,
        }
    }

    /// A producer that carries on from where one left off (the playground's hands-on
    /// transactions keep theirs between commands).
    pub fn resume(
        transactional_id: String,
        timeout_ms: i64,
        producer_id_and_epoch: (i64, i16),
        in_transaction: bool,
        added: Vec<TopicPartition>,
        abortable_error: Option<String>,
    ) -> TransactionManager {
        let state = match (&abortable_error, in_transaction) {
            (Some(_), _) => State::AbortableError,
            (None, true) => State::InTransaction,
            (None, false) => State::Ready,
        };
        TransactionManager {
            state,
            producer_id_and_epoch: Some(producer_id_and_epoch),
            added,
            last_error: abortable_error.map(LastError::Other),
            ..TransactionManager::new(transactional_id, timeout_ms)
        }
    }

    /// The error that made the open transaction abortable (only `abortTransaction` is left).
    pub fn abortable_error(&self) -> Option<String> {
        match (&self.last_error, self.state) {
            (Some(LastError::Other(e)), State::AbortableError) => Some(e.clone()),
            (Some(LastError::InvalidEpoch), State::AbortableError) => Some(
                "org.apache.kafka.common.errors.InvalidProducerEpochException: Producer attempted to produce with an old epoch."
                    .to_string(),
            ),
            _ => None,
        }
    }

    pub fn state(&self) -> State {
        self.state
    }

    pub fn producer_id_and_epoch(&self) -> Option<(i64, i16)> {
        self.producer_id_and_epoch
    }

    pub fn added_partitions(&self) -> &[TopicPartition] {
        &self.added
    }

    pub fn is_added(&self, tp: &TopicPartition) -> bool {
        self.added.contains(tp)
    }

    /// `transitionTo`: an invalid transition is an `IllegalStateException`.
    fn transition_to(&mut self, target: State) -> Result<(), String> {
        if !self.state.can_become(target) {
            return Err(format!(
                "{ILLEGAL_STATE}: TransactionalId {}: Invalid transition attempted from state {} to state {}",
                self.transactional_id,
                self.state.name(),
                target.name()
            ));
        }
        self.state = target;
        Ok(())
    }

    fn id_and_epoch_text(&self) -> String {
        let (id, epoch) = self.producer_id_and_epoch.unwrap_or((-1, -1));
        format!("(producerId={id}, epoch={epoch})")
    }

    /// `maybeFailWithError`: after an error, every transactional call says which.
    pub fn maybe_fail_with_error(&self) -> Result<(), String> {
        if !matches!(self.state, State::AbortableError | State::FatalError) {
            return Ok(());
        }
        let id = &self.transactional_id;
        let pe = self.id_and_epoch_text();
        Err(match &self.last_error {
            Some(LastError::Fenced) => format!(
                "{FENCED}: Producer with transactionalId '{id}' and {pe} has been fenced by another producer with the same transactionalId"
            ),
            Some(LastError::InvalidEpoch) => format!(
                "org.apache.kafka.common.errors.InvalidProducerEpochException: Producer with transactionalId '{id}' and {pe} attempted to produce with an old epoch"
            ),
            Some(LastError::Other(e)) => format!(
                "{KAFKA_EXCEPTION}: Cannot execute transactional method because we are in an error state\nCaused by: {e}"
            ),
            None => format!(
                "{KAFKA_EXCEPTION}: Cannot execute transactional method because we are in an error state"
            ),
        })
    }

    /// `initTransactions` begins: the state moves to `INITIALIZING`.
    pub fn begin_init(&mut self) -> Result<(), String> {
        self.maybe_fail_with_error()?;
        self.transition_to(State::Initializing)
    }

    /// The `InitProducerId` answer.
    pub fn complete_init(&mut self, answer: Result<(i64, i16), KafkaError>) -> Result<(), String> {
        match answer {
            Ok(pe) => {
                self.producer_id_and_epoch = Some(pe);
                self.added.clear();
                self.transition_to(State::Ready)
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// `beginTransaction`.
    pub fn begin_transaction(&mut self) -> Result<(), String> {
        self.maybe_fail_with_error()?;
        self.transition_to(State::InTransaction)
    }

    /// `maybeAddPartition`, as `send` calls it: what `send` throws, if anything.
    pub fn check_send(&self, tp: &TopicPartition) -> Result<(), String> {
        self.maybe_fail_with_error()?;
        if self.producer_id_and_epoch.is_none() {
            return Err(format!(
                "{ILLEGAL_STATE}: Cannot add partition {tp} to transaction before completing a call to initTransactions"
            ));
        }
        if self.state != State::InTransaction {
            return Err(format!(
                "{ILLEGAL_STATE}: Cannot add partition {tp} to transaction while in state  {}",
                self.state.name()
            ));
        }
        Ok(())
    }

    /// The answer to `AddPartitionsToTxn` for `tp`; `Err` is the exception its batch fails with.
    pub fn partition_added(
        &mut self,
        tp: &TopicPartition,
        answer: Result<(), KafkaError>,
    ) -> Result<(), String> {
        match answer {
            Ok(()) => {
                if !self.added.contains(tp) {
                    self.added.push(tp.clone());
                }
                Ok(())
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// A batch failed: a fenced epoch is fatal, anything else makes the transaction abortable
    /// (`maybeTransitionToErrorState`).
    pub fn batch_failed(&mut self, code: Option<ErrorCode>, exception: &str) {
        match code {
            Some(ErrorCode::ProducerFenced) => self.fatal(LastError::Fenced),
            Some(ErrorCode::InvalidProducerEpoch) => self.abortable(LastError::InvalidEpoch),
            _ => self.abortable(LastError::Other(exception.to_string())),
        }
    }

    /// `commitTransaction` / `abortTransaction` begin. Committing after an error is refused;
    /// aborting after an abortable error is how the producer recovers.
    pub fn begin_completing(&mut self, commit: bool) -> Result<(), String> {
        if commit {
            self.maybe_fail_with_error()?;
            self.transition_to(State::CommittingTransaction)
        } else {
            if self.state == State::FatalError {
                self.maybe_fail_with_error()?;
            }
            self.transition_to(State::AbortingTransaction)
        }
    }

    /// The `EndTxn` answer: with `transaction.version=2`, the producer id and the bumped epoch
    /// the next transaction uses (`None` when no request was needed).
    pub fn complete_transaction(
        &mut self,
        answer: Result<Option<(i64, i16)>, KafkaError>,
    ) -> Result<(), String> {
        match answer {
            Ok(next) => {
                if next.is_some() {
                    self.producer_id_and_epoch = next;
                }
                self.added.clear();
                self.transition_to(State::Ready)
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    /// An error answer from the coordinator: fencing is fatal, the rest abortable. Returns the
    /// exception the call throws (Kafka's `Errors.exception()` text).
    fn fail(&mut self, e: KafkaError) -> String {
        match e.code {
            // The coordinator's INVALID_PRODUCER_EPOCH means fenced too (`EndTxnHandler`).
            ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch => {
                self.fatal(LastError::Fenced);
                format!("{FENCED}: {}", ErrorCode::ProducerFenced.default_message())
            }
            _ => {
                let text = e.to_string();
                if self.state == State::Initializing {
                    self.fatal(LastError::Other(text.clone()));
                } else {
                    self.abortable(LastError::Other(text.clone()));
                }
                text
            }
        }
    }

    fn fatal(&mut self, e: LastError) {
        self.last_error = Some(e);
        self.state = State::FatalError;
    }

    fn abortable(&mut self, e: LastError) {
        if self.state == State::FatalError {
            return;
        }
        self.last_error = Some(e);
        self.state = State::AbortableError;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Kafka: clients/src/main/java/org/apache/kafka/clients/producer/internals/TransactionManager.java
    // (transitionTo, maybeAddPartition, maybeFailWithError).
    #[test]
    fn calls_out_of_order_throw_as_the_java_client_does() {
        let mut t = TransactionManager::new("t1".into(), 60_000);
        let tp = TopicPartition::new("events", 0);
        assert_eq!(
            t.check_send(&tp),
            Err("java.lang.IllegalStateException: Cannot add partition events-0 to transaction before completing a call to initTransactions".into())
        );
        assert_eq!(
            t.begin_transaction(),
            Err("java.lang.IllegalStateException: TransactionalId t1: Invalid transition attempted from state UNINITIALIZED to state IN_TRANSACTION".into())
        );
        t.begin_init().unwrap();
        t.complete_init(Ok((0, 0))).unwrap();
        assert_eq!(
            t.check_send(&tp),
            Err("java.lang.IllegalStateException: Cannot add partition events-0 to transaction while in state  READY".into())
        );
        t.begin_transaction().unwrap();
        assert_eq!(t.check_send(&tp), Ok(()));
        assert_eq!(
            t.partition_added(&tp, Err(KafkaError::bare(ErrorCode::ProducerFenced))),
            Err("org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.".into())
        );
        assert_eq!(
            t.begin_completing(true),
            Err("org.apache.kafka.common.errors.ProducerFencedException: Producer with transactionalId 't1' and (producerId=0, epoch=0) has been fenced by another producer with the same transactionalId".into())
        );
    }
}
