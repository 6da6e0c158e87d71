//! What a command prints: an ordered sequence of stdout and stderr chunks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub stream: Stream,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<Chunk>,
}

impl Output {
    pub fn new() -> Self {
        Output::default()
    }

    fn push(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some(last) if last.stream == stream => last.text.push_str(text),
            _ => self.chunks.push(Chunk {
                stream,
                text: text.to_string(),
            }),
        }
    }

    /// Writes to stdout as is (no newline added).
    pub fn out(&mut self, text: &str) {
        self.push(Stream::Stdout, text);
    }

    /// Writes a line to stdout.
    pub fn outln(&mut self, line: &str) {
        self.push(Stream::Stdout, line);
        self.push(Stream::Stdout, "\n");
    }

    pub fn err(&mut self, text: &str) {
        self.push(Stream::Stderr, text);
    }

    pub fn errln(&mut self, line: &str) {
        self.push(Stream::Stderr, line);
        self.push(Stream::Stderr, "\n");
    }

    pub fn append(&mut self, other: Output) {
        for c in other.chunks {
            self.push(c.stream, &c.text);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Everything printed, both streams interleaved in order (what a terminal shows).
    pub fn text(&self) -> String {
        self.chunks.iter().map(|c| c.text.as_str()).collect()
    }

    /// Only what went to one stream.
    pub fn stream_text(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|c| c.stream == stream)
            .map(|c| c.text.as_str())
            .collect()
    }
}
