//! What a command prints: an ordered sequence of stdout and stderr chunks. A chunk may be marked
//! as a tool's usage printed after an error, or as the playground's own note: the text is
//! Kafka's either way; the mark only tells a face what it may fold or dim.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a chunk of text is, beyond the stream it went to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Part {
    /// What the tool printed.
    #[default]
    Printed,
    /// The option table a tool prints after an error message (`printUsageAndExit`): a face
    /// may fold it below the error, which then stays in view.
    Usage,
    /// A `[playground] …` line the playground adds after Kafka's own text.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub stream: Stream,
    pub text: String,
    pub part: Part,
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
        self.push_part(stream, text, Part::Printed);
    }

    fn push_part(&mut self, stream: Stream, text: &str, part: Part) {
        if text.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some(last) if last.stream == stream && last.part == part => last.text.push_str(text),
            _ => self.chunks.push(Chunk {
                stream,
                text: text.to_string(),
                part,
            }),
        }
    }

    /// Writes a tool's usage (its option table after an error message) to stderr.
    pub fn usage(&mut self, text: &str) {
        self.push_part(Stream::Stderr, text, Part::Usage);
    }

    /// Writes a `[playground] …` line to stderr, after Kafka's own text.
    pub fn note(&mut self, line: &str) {
        self.push_part(Stream::Stderr, line, Part::Note);
        self.push_part(Stream::Stderr, "\n", Part::Note);
    }

    /// Passes on a chunk another output produced, keeping its mark.
    pub fn forward(&mut self, chunk: Chunk) {
        self.push_part(chunk.stream, &chunk.text, chunk.part);
    }

    /// The usage printed from chunk `from` on was asked for (`--help`): it is shown whole.
    pub fn unfold_usage(&mut self, from: usize) {
        let tail = self.chunks.split_off(from.min(self.chunks.len()));
        for mut chunk in tail {
            if chunk.part == Part::Usage {
                chunk.part = Part::Printed;
            }
            self.forward(chunk);
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
            self.forward(c);
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
