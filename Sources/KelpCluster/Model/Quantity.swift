/// A resource amount (`500m`, `128Mi`, `1e3`) with the parsing and printing rules of
/// apimachinery's `resource.Quantity`.
///
/// Upstream keeps an arbitrary-precision decimal rounded to nano-units. A simulator only needs
/// CPU millicores and byte counts, so the exact value here is an `Int64` count of milli-units:
/// anything finer than a milli is rounded away from zero when parsed (`100n` becomes `1m`), the
/// same direction upstream rounds sub-nano input, so a request never shrinks to nothing. The
/// magnitude is capped at `Int64.max` milli-units (about 8Pi); larger input is an error instead
/// of upstream's silent cap.
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// How the quantity prints, remembered from the suffix it was written with.
  public enum Format: String, Hashable, Sendable, CaseIterable {
    /// `12M`, `500m`, `1` (powers of 1000).
    case decimalSI = "DecimalSI"
    /// `12Mi` (powers of 1024).
    case binarySI = "BinarySI"
    /// `12e6`.
    case decimalExponent = "DecimalExponent"
  }

  /// The exact amount in thousandths of a unit: `1500` for `1.5`, `1048576000` for `1Mi`.
  public let milliValue: Int64
  public let format: Format
  /// The text the quantity was parsed from, kept only when upstream `ParseQuantity` keeps it:
  /// `String()` then echoes the input verbatim instead of the canonical form (`+1` stays `+1`).
  private let parsedText: String?

  public static let zero = Quantity(milliValue: 0, format: .decimalSI)

  public init(milliValue: Int64, format: Format) {
    self.milliValue = milliValue
    self.format = format
    parsedText = nil
  }

  /// CPU in millicores, printed as Kubernetes prints CPU (`250m`, `2`).
  public static func cpu(millis: Int64) -> Quantity {
    Quantity(milliValue: millis, format: .decimalSI)
  }

  /// A byte count printed with binary suffixes (`128Mi`), as memory is; saturates at about 8Pi.
  public static func bytes(_ count: Int64) -> Quantity {
    let (milli, overflow) = count.multipliedReportingOverflow(by: 1000)
    let clamped = overflow ? (count < 0 ? -Int64.max : Int64.max) : max(milli, -Int64.max)
    return Quantity(milliValue: clamped, format: .binarySI)
  }

  /// The value in whole units, rounded away from zero as upstream `Value()` rounds.
  public var value: Int64 {
    let (whole, rest) = milliValue.quotientAndRemainder(dividingBy: 1000)
    if rest > 0 { return whole + 1 }
    if rest < 0 { return whole - 1 }
    return whole
  }

  public var isZero: Bool { milliValue == 0 }

  /// The canonical form, exactly as upstream `Quantity.String()` prints it.
  public var description: String {
    parsedText ?? Self.canonical(milliValue: milliValue, format: format)
  }

  // Equality, hashing and order follow the amount alone, as upstream `Cmp` does: 1Gi == 1024Mi.
  public static func == (lhs: Quantity, rhs: Quantity) -> Bool { lhs.milliValue == rhs.milliValue }
  public func hash(into hasher: inout Hasher) { hasher.combine(milliValue) }
  public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.milliValue < rhs.milliValue }

  /// Sums saturate at ±Int64.max milli-units (the most that parses back) instead of trapping; a
  /// zero left side takes the right side's format, as upstream `Add` does, so `0 + 1Gi` still
  /// prints `1Gi`.
  public static func + (lhs: Quantity, rhs: Quantity) -> Quantity {
    let (sum, overflow) = lhs.milliValue.addingReportingOverflow(rhs.milliValue)
    let value = overflow ? (rhs.milliValue < 0 ? -Int64.max : Int64.max) : max(sum, -Int64.max)
    return Quantity(milliValue: value, format: lhs.milliValue == 0 ? rhs.format : lhs.format)
  }

  public static func - (lhs: Quantity, rhs: Quantity) -> Quantity {
    let (difference, overflow) = lhs.milliValue.subtractingReportingOverflow(rhs.milliValue)
    let value =
      overflow ? (rhs.milliValue > 0 ? -Int64.max : Int64.max) : max(difference, -Int64.max)
    return Quantity(milliValue: value, format: lhs.milliValue == 0 ? rhs.format : lhs.format)
  }

  public static func += (lhs: inout Quantity, rhs: Quantity) { lhs = lhs + rhs }
  public static func -= (lhs: inout Quantity, rhs: Quantity) { lhs = lhs - rhs }
}

/// Why a quantity did not parse; `description` is upstream's error text.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// The text is not `<number><suffix>` at all (upstream `ErrFormatWrong`).
    case formatWrong
    /// The suffix is not one Kubernetes knows (upstream `ErrSuffix`).
    case suffix
    /// The amount does not fit Kelp's 64-bit milli-unit store (upstream has no such limit).
    case outOfRange
  }

  public let kind: Kind
  public let description: String

  public static let formatWrong = QuantityError(
    kind: .formatWrong,
    description: "quantities must match the regular expression "
      + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
  public static let suffix = QuantityError(
    kind: .suffix, description: "unable to parse quantity's suffix")
  public static let outOfRange = QuantityError(
    kind: .outOfRange,
    description: "quantity is too large: the magnitude must not exceed 9223372036854775807m")
}

// MARK: - Parsing

extension Quantity {
  /// Parses every form upstream `ParseQuantity` accepts, including its oddities: `.`, `+` and
  /// `Mi` all read as zero, `1.G` is one giga, and whitespace is an error.
  public init(_ text: String) throws(QuantityError) {
    let bytes = Array(text.utf8)
    if bytes.isEmpty { throw .formatWrong }
    if text == "0" {
      self = .zero
      return
    }
    let parts = try Self.scan(bytes)
    let (exponent, format) = try Self.interpret(parts.suffix)

    var digits = Self.digitValues(parts.num + parts.denom)
    let shift: Int
    if format == .binarySI {
      for _ in 0..<(exponent / 10) { digits = Self.multiply(digits, by: 1024) }
      shift = 3 - parts.denom.count
    } else {
      shift = Int(exponent) + 3 - parts.denom.count
    }
    guard let magnitude = Self.milliMagnitude(digits, shift: shift) else { throw .outOfRange }

    milliValue = parts.positive ? magnitude : -magnitude
    // A binary amount strictly between -1 and 1 cannot print in Ki/Mi; upstream switches it.
    self.format = format == .binarySI && magnitude > 0 && magnitude < 1000 ? .decimalSI : format
    parsedText = Self.keepsText(parts, exponent: exponent, format: format) ? text : nil
  }

  private struct Parts {
    var positive: Bool
    /// The integer digits without leading zeros; `"0"` when there are none.
    var num: ArraySlice<UInt8>
    var denom: ArraySlice<UInt8>
    var suffix: ArraySlice<UInt8>
  }

  private static let zeroDigit: ArraySlice<UInt8> = [UInt8(ascii: "0")]

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// Upstream `parseQuantityString`: sign, number, then suffix letters and an optional signed
  /// exponent. Whether the suffix means anything is `interpret`'s business.
  private static func scan(_ text: [UInt8]) throws(QuantityError) -> Parts {
    var parts = Parts(positive: true, num: zeroDigit, denom: [], suffix: [])
    let end = text.count
    var pos = 0
    if text[0] == UInt8(ascii: "-") {
      parts.positive = false
      pos += 1
    } else if text[0] == UInt8(ascii: "+") {
      pos += 1
    }
    while true {
      if pos >= end { return parts }
      guard text[pos] == UInt8(ascii: "0") else { break }
      pos += 1
    }
    var index = pos
    while index < end, isDigit(text[index]) { index += 1 }
    if index > pos { parts.num = text[pos..<index] }
    if index >= end { return parts }
    pos = index
    if text[pos] == UInt8(ascii: ".") {
      pos += 1
      index = pos
      while index < end, isDigit(text[index]) { index += 1 }
      parts.denom = text[pos..<index]
      if index >= end { return parts }
      pos = index
    }
    let suffixStart = pos
    let suffixLetters = Array("eEinumkKMGTP".utf8)
    while pos < end, suffixLetters.contains(text[pos]) { pos += 1 }
    if pos < end, text[pos] == UInt8(ascii: "-") || text[pos] == UInt8(ascii: "+") { pos += 1 }
    while pos < end, isDigit(text[pos]) { pos += 1 }
    guard pos == end else { throw .formatWrong }
    parts.suffix = text[suffixStart..<end]
    return parts
  }

  private static let decimalSuffixes: [String: Int32] = [
    "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
  ]
  private static let binarySuffixes: [String: Int32] = [
    "Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60,
  ]

  /// The power (of 10, or of 2 for binary suffixes) a suffix stands for.
  private static func interpret(
    _ suffix: ArraySlice<UInt8>
  ) throws(QuantityError) -> (exponent: Int32, format: Format) {
    let text = String(decoding: suffix, as: UTF8.self)
    if let exponent = decimalSuffixes[text] { return (exponent, .decimalSI) }
    if let exponent = binarySuffixes[text] { return (exponent, .binarySI) }
    if let first = suffix.first, suffix.count > 1,
      first == UInt8(ascii: "e") || first == UInt8(ascii: "E"),
      let exponent = Int64(String(text.dropFirst()), radix: 10)
    {
      // Upstream converts with int32(...), wrapping an absurd exponent the same way.
      return (Int32(truncatingIfNeeded: exponent), .decimalExponent)
    }
    throw .suffix
  }

  /// Decimal digit values, most significant first, without leading zeros.
  private static func digitValues(_ text: ArraySlice<UInt8>) -> [UInt8] {
    Array(text.map { $0 - UInt8(ascii: "0") }.drop { $0 == 0 })
  }

  private static func multiply(_ digits: [UInt8], by factor: Int) -> [UInt8] {
    var result: [UInt8] = []
    var carry = 0
    for digit in digits.reversed() {
      let product = Int(digit) * factor + carry
      result.append(UInt8(product % 10))
      carry = product / 10
    }
    while carry > 0 {
      result.append(UInt8(carry % 10))
      carry /= 10
    }
    return Array(result.reversed().drop { $0 == 0 })
  }

  /// `digits * 10^shift` rounded away from zero to an integer, or nil past `Int64.max`.
  private static func milliMagnitude(_ digits: [UInt8], shift: Int) -> Int64? {
    if digits.isEmpty { return 0 }
    let integerCount = digits.count + shift
    if integerCount > 19 { return nil }
    var value: Int64 = 0
    for position in 0..<max(integerCount, 0) {
      let digit = position < digits.count ? Int64(digits[position]) : 0
      let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
      let (next, carry) = times10.addingReportingOverflow(digit)
      if overflow || carry { return nil }
      value = next
    }
    let dropped = digits.dropFirst(max(integerCount, 0))
    if dropped.contains(where: { $0 != 0 }) {
      let (next, overflow) = value.addingReportingOverflow(1)
      if overflow { return nil }
      value = next
    }
    return value
  }

  /// Upstream's fast path stores the input string as the cached `String()` result when the
  /// input already looks canonical; it misses a leading `+` or zeros, so `+1` prints `+1`.
  private static func keepsText(_ parts: Parts, exponent: Int32, format: Format) -> Bool {
    switch format {
    case .binarySI:
      guard parts.denom.isEmpty else { return false }
      let precision = 15 - parts.num.count - Int(exponent) * 3 / 10 - 1
      guard precision >= 0, let value = Int64(String(decoding: parts.num, as: UTF8.self)) else {
        return false
      }
      return value & 0x07 != 0
    case .decimalSI, .decimalExponent:
      let shifted = String(decoding: parts.num + parts.denom, as: UTF8.self)
      let scale = Int(exponent) - parts.denom.count
      // Scales below milli are exact upstream but rounded here, so the text would lie.
      guard shifted.utf8.count <= 18, scale >= -3, scale % 3 == 0 else { return false }
      return !shifted.hasPrefix("0") && !shifted.hasSuffix("000")
    }
  }
}

// MARK: - Printing

extension Quantity {
  /// Upstream `CanonicalizeBytes`: the largest suffix that loses nothing and needs no fraction.
  static func canonical(milliValue: Int64, format: Format) -> String {
    if milliValue == 0 { return "0" }
    var format = format
    if format == .binarySI, milliValue % 1000 != 0 || abs(milliValue / 1000) < 1024 {
      // Binary suffixes cannot show fractions, and amounts under 1Ki read better in decimal.
      format = .decimalSI
    }
    if format == .binarySI {
      var amount = milliValue / 1000
      var power = 0
      while amount % 1024 == 0, abs(amount) >= 1024 {
        amount /= 1024
        power += 1
      }
      return "\(amount)" + ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]
    }
    var mantissa = milliValue
    var exponent = -3
    while mantissa % 10 == 0 {
      mantissa /= 10
      exponent += 1
    }
    // Lower the exponent to a multiple of three; the factors come back out of those removed.
    let excess = (exponent % 3 + 3) % 3
    for _ in 0..<excess { mantissa *= 10 }
    exponent -= excess
    if format == .decimalExponent {
      return exponent == 0 ? "\(mantissa)" : "\(mantissa)e\(exponent)"
    }
    let suffixes = [-3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
    return "\(mantissa)" + (suffixes[exponent] ?? "e\(exponent)")
  }
}
