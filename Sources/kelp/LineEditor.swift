import CLibEdit
import Glibc

/// Interactive line input for the REPL, on top of libedit: emacs key
/// bindings, a persistent history, Tab completion and Ctrl-C handling.
///
/// Reads from stdin and draws on stdout. Use one editor at a time, from one
/// thread.
final class LineEditor {
  enum Input: Equatable {
    /// A line the user entered, without its final newline. It can contain
    /// newlines of its own when a multi-line history entry was recalled.
    case line(String)
    /// Ctrl-C at the prompt; the typed text was discarded.
    case interrupted
    /// Ctrl-D on an empty line, or stdin closed.
    case endOfFile
  }

  /// Returns the candidates for completing `prefix`, the word before the
  /// cursor. Candidates that do not start with `prefix` are ignored.
  var completer: ((_ prefix: String) -> [String])?

  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private var historyEvent = HistEvent()
  private let historyPath: String?
  private let output: UnsafeMutablePointer<FILE>?
  /// The C string the prompt callback hands to libedit; owned (malloc'd).
  private var prompt: UnsafeMutablePointer<CChar>?

  /// Characters that end a Lisp word when looking back from the cursor.
  private static let wordDelimiters: Set<UInt8> = Set(" \t\n\r()[]{}'`,\"".utf8)

  /// Marks zero-width stretches of a prompt (e.g. ANSI colour codes):
  /// write "\u{1}\u{1B}[1m\u{1}kelp> \u{1}\u{1B}[0m\u{1}".
  static let promptIgnoreMarker: Character = "\u{1}"

  /// Returns nil if libedit cannot be set up (out of memory).
  ///
  /// `historyPath` is used as given (no `~` expansion); the history is
  /// loaded from it if the file exists, and `saveHistory()` writes there.
  ///
  /// Also installs the process's SIGINT handler (see `SignalHandling`),
  /// which Ctrl-C at the prompt relies on, and switches LC_CTYPE to UTF-8
  /// so libedit can edit and draw non-ASCII text.
  init?(programName: String, historyPath: String?) {
    Self.useUTF8CharacterType()
    SignalHandling.install()

    guard let editLine = kelp_el_init_standard_streams(programName) else {
      return nil
    }
    guard let history = history_init() else {
      el_end(editLine)
      return nil
    }
    self.editLine = editLine
    self.history = history
    self.historyPath = historyPath
    self.output = kelp_el_output_file(editLine)

    // Callbacks are C function pointers and cannot capture; they find
    // this editor again through libedit's client data.
    kelp_el_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())

    kelp_history_set_size(history, &historyEvent, 1000)
    kelp_history_set_unique(history, &historyEvent, 1)
    if let historyPath, access(historyPath, F_OK) == 0 {
      kelp_history_load(history, &historyEvent, historyPath)
    }

    kelp_el_set_editor(editLine, "emacs")
    kelp_el_set_history(editLine, history)
    kelp_el_set_signal_handling(editLine, 1)
    kelp_el_set_prompt(
      editLine,
      { editLine in
        LineEditor.editor(for: editLine)?.prompt ?? LineEditor.emptyCString
      }, CChar(Self.promptIgnoreMarker.asciiValue ?? 1))
    // Our own character reader, so that el_gets ends exactly when SIGINT
    // arrived. The built-in one ends it on any interrupted read (any
    // signal with a handler would look like end of file), misses a SIGINT
    // that lands while libedit is drawing rather than blocked in read(),
    // and in older libedit releases retried once, needing two Ctrl-Cs.
    kelp_el_set_getc(
      editLine,
      { _, character in
        guard let character else { return -1 }
        return LineEditor.readCharacter(into: character)
      })

    // The user's ~/.editrc may change bindings; our own come after it so
    // Tab always completes.
    el_source(editLine, nil)
    kelp_el_add_function(editLine, "kelp-complete", "Complete the word before the cursor") {
      editLine, _ in
      LineEditor.editor(for: editLine)?.complete() ?? UInt8(CC_ERROR)
    }
    kelp_el_bind(editLine, "^I", "kelp-complete")
    kelp_el_bind(editLine, "^R", "em-inc-search-prev")
  }

  deinit {
    // el_end puts the terminal back the way it found it.
    el_end(editLine)
    history_end(history)
    free(prompt)
  }

  /// Shows `prompt` and reads one line, with editing.
  func readLine(prompt: String) -> Input {
    setPrompt(prompt)
    // A Ctrl-C that arrived while the previous line was being evaluated
    // has been dealt with (or was too late to matter); it must not cancel
    // this line.
    _ = SignalHandling.takeInterrupt()

    var count: Int32 = 0
    let text = el_gets(editLine, &count)

    // Checked before the result: el_gets may have returned a partly
    // typed line, which Ctrl-C is meant to discard.
    if SignalHandling.takeInterrupt() {
      write("\n")
      return .interrupted
    }
    guard let text, count > 0 else {
      // count 0 is Ctrl-D on an empty line; -1 a read error such as the
      // terminal going away. Either way there is no more input.
      if isatty(STDIN_FILENO) != 0 { write("\n") }
      return .endOfFile
    }
    var bytes = UnsafeBufferPointer(start: text, count: Int(count))
      .map { UInt8(bitPattern: $0) }
    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
    return .line(String(decoding: bytes, as: UTF8.self))
  }

  /// Adds an entry to the history; a multi-line entry stays one entry.
  /// Blank entries are ignored, as is a repeat of the newest entry.
  func addHistory(_ entry: String) {
    guard entry.contains(where: { !$0.isWhitespace }) else { return }
    kelp_history_enter(history, &historyEvent, entry)
  }

  /// Writes the history to the path given at init. Returns false if there
  /// is no path or the file cannot be written.
  @discardableResult
  func saveHistory() -> Bool {
    guard let historyPath else { return false }
    return kelp_history_save(history, &historyEvent, historyPath) >= 0
  }

  /// The word that Tab completes, given the text before the cursor: the
  /// characters after the last whitespace or Lisp delimiter.
  static func wordBeforeCursor(_ textBeforeCursor: String) -> String {
    let bytes = Array(textBeforeCursor.utf8)
    // Delimiters are ASCII, so cutting at one never splits a character.
    let start = bytes.lastIndex(where: { wordDelimiters.contains($0) }).map { $0 + 1 } ?? 0
    return String(decoding: bytes[start...], as: UTF8.self)
  }

  // MARK: - Private

  nonisolated(unsafe) private static let emptyCString: UnsafeMutablePointer<CChar> = {
    // Never freed: it backs the prompt if the editor cannot be found.
    let empty = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    empty.initialize(to: 0)
    return empty
  }()

  private static func editor(for editLine: OpaquePointer?) -> LineEditor? {
    guard let editLine, let data = kelp_el_get_client_data(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
  }

  private func setPrompt(_ text: String) {
    free(prompt)
    prompt = strdup(text)
  }

  private func write(_ text: String) {
    guard let output else { return }
    fputs(text, output)
    fflush(output)
  }

  /// libedit decodes input and draws text through the C locale; under the
  /// default "C" locale it drops every non-ASCII byte.
  private static func useUTF8CharacterType() {
    if setlocale(LC_CTYPE, "") != nil, let codeset = nl_langinfo(nl_item(CODESET)),
      String(cString: codeset) == "UTF-8"
    {
      return
    }
    setlocale(LC_CTYPE, "C.UTF-8")
  }

  /// libedit's character reader (EL_GETCFN): one UTF-8 character from stdin
  /// into `character`. Returns 1, 0 at end of file, or -1 with errno set.
  private static func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
    var sequence: [UInt8] = []
    var expectedLength = 0
    while true {
      // A SIGINT may land while libedit is busy rather than blocked in
      // read(), and then no read will be interrupted.
      if SignalHandling.isInterruptPending {
        errno = EINTR
        return -1
      }
      var byte: UInt8 = 0
      let result = read(STDIN_FILENO, &byte, 1)
      if result == 0 {
        character.pointee = 0
        return 0
      }
      if result < 0 {
        let error = errno
        // Other signals (SIGWINCH, SIGCONT) also interrupt the read;
        // libedit has already handled them, so just keep reading.
        if error == EINTR { continue }
        errno = error
        return -1
      }

      if !sequence.isEmpty && byte & 0xC0 != 0x80 {
        // A truncated sequence: drop it and start again at this byte.
        sequence.removeAll()
      }
      if sequence.isEmpty {
        switch byte {
        case 0x00...0x7F:
          character.pointee = wchar_t(byte)
          return 1
        case 0xC2...0xDF: expectedLength = 2
        case 0xE0...0xEF: expectedLength = 3
        case 0xF0...0xF4: expectedLength = 4
        default: continue  // cannot start a character
        }
      }
      sequence.append(byte)
      if sequence.count == expectedLength {
        let complete = sequence
        sequence.removeAll()
        // Rejects overlong forms and surrogates, which the lead byte
        // alone does not rule out.
        if let scalar = String(validating: complete, as: UTF8.self)?.unicodeScalars.first {
          character.pointee = wchar_t(bitPattern: scalar.value)
          return 1
        }
      }
    }
  }

  /// The Tab command: complete the word before the cursor.
  private func complete() -> UInt8 {
    guard let completer,
      let info = el_line(editLine)?.pointee,
      let buffer = info.buffer, let cursor = info.cursor
    else { return UInt8(CC_ERROR) }

    let before = UnsafeRawBufferPointer(start: buffer, count: buffer.distance(to: cursor))
    let prefix = Self.wordBeforeCursor(String(decoding: before, as: UTF8.self))
    // Tab with no word would offer every name there is.
    guard !prefix.isEmpty else { return UInt8(CC_REFRESH_BEEP) }

    let matches = Set(
      completer(prefix).filter {
        $0.unicodeScalars.starts(with: prefix.unicodeScalars)
      }
    ).sorted()
    guard let first = matches.first else { return UInt8(CC_REFRESH_BEEP) }

    let typed = prefix.unicodeScalars.count
    if matches.count == 1 {
      // The word is finished: the space saves typing the separator.
      return insert(Self.string(first.unicodeScalars.dropFirst(typed)) + " ")
    }
    let common = matches.dropFirst().reduce(first.unicodeScalars[...]) { common, match in
      common.prefix(zip(common, match.unicodeScalars).prefix(while: { $0 == $1 }).count)
    }
    if common.count > typed {
      return insert(Self.string(common.dropFirst(typed)))
    }
    listInColumns(matches)
    return UInt8(CC_REDISPLAY)
  }

  private static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    return text
  }

  private func insert(_ text: String) -> UInt8 {
    el_insertstr(editLine, text) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
  }

  /// Prints `items` below the line being edited, in columns filled top to
  /// bottom like ls. The caller returns CC_REDISPLAY so libedit redraws the
  /// prompt and line underneath.
  private func listInColumns(_ items: [String]) {
    let reportedWidth = Int(kelp_el_terminal_columns(editLine))
    let screenWidth = reportedWidth > 0 ? reportedWidth : 80
    let columnWidth = items.reduce(0) { max($0, $1.count) } + 2
    let columns = max(1, screenWidth / columnWidth)
    let rows = (items.count + columns - 1) / columns

    var text = "\n"
    for row in 0..<rows {
      var line = ""
      for column in 0..<columns {
        let index = column * rows + row
        guard index < items.count else { break }
        let item = items[index]
        line += item
        if index + rows < items.count {
          line += String(repeating: " ", count: columnWidth - item.count)
        }
      }
      text += line + "\n"
    }
    write(text)
  }
}
