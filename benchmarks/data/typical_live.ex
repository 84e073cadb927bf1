defmodule ShopWeb.OrderLive.Index do
  @moduledoc """
  A typical LiveView of about 200 lines for the edit-hook benchmark (benchmarks/edit_hook.py): a streamed
  list with filters in the URL, a live-validated form in a modal, a delete with confirmation, async
  totals and PubSub updates. Written for this benchmark; it reviews clean on LiveView 1.x.
  """
  use ShopWeb, :live_view

  alias Shop.Orders
  alias Shop.Orders.Order

  @statuses ~w(open paid shipped cancelled)

  @impl true
  def mount(_params, _session, socket) do
    scope = socket.assigns.current_scope

    if connected?(socket) do
      Orders.subscribe(scope)
    end

    {:ok,
     socket
     |> assign(:page_title, "Orders")
     |> assign(:statuses, @statuses)
     |> assign(:filter, %{"status" => "", "q" => ""})
     |> assign(:editing, nil)
     |> assign(:form, nil)
     |> assign_async(:totals, fn -> {:ok, %{totals: Orders.totals(scope)}} end)
     |> stream(:orders, [])}
  end

  @impl true
  def handle_params(params, _url, socket) do
    filter = %{"status" => Map.get(params, "status", ""), "q" => Map.get(params, "q", "")}
    orders = Orders.list_orders(socket.assigns.current_scope, filter)

    {:noreply,
     socket
     |> assign(:filter, filter)
     |> stream(:orders, orders, reset: true)
     |> apply_action(socket.assigns.live_action, params)}
  end

  defp apply_action(socket, :index, _params) do
    assign(socket, editing: nil, form: nil)
  end

  defp apply_action(socket, :new, _params) do
    order = %Order{}
    assign(socket, editing: order, form: to_form(Orders.change_order(order)))
  end

  defp apply_action(socket, :edit, %{"id" => id}) do
    order = Orders.get_order!(socket.assigns.current_scope, id)
    assign(socket, editing: order, form: to_form(Orders.change_order(order)))
  end

  @impl true
  def handle_event("filter", %{"filter" => filter}, socket) do
    params = Map.take(filter, ["status", "q"]) |> Enum.reject(fn {_k, v} -> v == "" end) |> Map.new()
    {:noreply, push_patch(socket, to: ~p"/orders?#{params}")}
  end

  def handle_event("validate", %{"order" => order_params}, socket) do
    changeset = Orders.change_order(socket.assigns.editing, order_params)
    {:noreply, assign(socket, :form, to_form(changeset, action: :validate))}
  end

  def handle_event("save", %{"order" => order_params}, socket) do
    save_order(socket, socket.assigns.live_action, order_params)
  end

  def handle_event("delete", %{"id" => id}, socket) do
    scope = socket.assigns.current_scope
    order = Orders.get_order!(scope, id)

    case Orders.delete_order(scope, order) do
      {:ok, _order} ->
        {:noreply, socket |> stream_delete(:orders, order) |> put_flash(:info, "Order deleted")}

      {:error, _changeset} ->
        {:noreply, put_flash(socket, :error, "The order could not be deleted")}
    end
  end

  defp save_order(socket, :new, order_params) do
    case Orders.create_order(socket.assigns.current_scope, order_params) do
      {:ok, order} ->
        {:noreply,
         socket
         |> stream_insert(:orders, order, at: 0)
         |> put_flash(:info, "Order created")
         |> push_patch(to: ~p"/orders")}

      {:error, changeset} ->
        {:noreply, assign(socket, :form, to_form(changeset))}
    end
  end

  defp save_order(socket, :edit, order_params) do
    case Orders.update_order(socket.assigns.current_scope, socket.assigns.editing, order_params) do
      {:ok, order} ->
        {:noreply,
         socket
         |> stream_insert(:orders, order)
         |> put_flash(:info, "Order updated")
         |> push_patch(to: ~p"/orders")}

      {:error, changeset} ->
        {:noreply, assign(socket, :form, to_form(changeset))}
    end
  end

  @impl true
  def handle_info({:created, %Order{} = order}, socket) do
    {:noreply, stream_insert(socket, :orders, order, at: 0)}
  end

  def handle_info({:updated, %Order{} = order}, socket) do
    {:noreply, stream_insert(socket, :orders, order)}
  end

  def handle_info({:deleted, %Order{} = order}, socket) do
    {:noreply, stream_delete(socket, :orders, order)}
  end

  @impl true
  def render(assigns) do
    ~H"""
    <.header>
      Orders
      <:actions>
        <.link patch={~p"/orders/new"} class="btn">New order</.link>
      </:actions>
    </.header>

    <.async_result :let={totals} assign={@totals}>
      <:loading>Loading totals…</:loading>
      <:failed>Totals are not available right now.</:failed>
      <p id="order-totals">{totals.count} orders, {totals.amount} in total</p>
    </.async_result>

    <.form for={%{}} as={:filter} id="order-filter" phx-change="filter">
      <label for="filter-q">Search</label>
      <input type="search" id="filter-q" name="filter[q]" value={@filter["q"]} phx-debounce="300" />
      <label for="filter-status">Status</label>
      <select id="filter-status" name="filter[status]">
        <option value="">All</option>
        <option :for={status <- @statuses} value={status} selected={status == @filter["status"]}>
          {status}
        </option>
      </select>
    </.form>

    <table id="orders">
      <thead>
        <tr><th>Number</th><th>Customer</th><th>Status</th><th><span class="sr-only">Actions</span></th></tr>
      </thead>
      <tbody id="orders-body" phx-update="stream">
        <tr :for={{dom_id, order} <- @streams.orders} id={dom_id}>
          <td>{order.number}</td>
          <td>{order.customer_name}</td>
          <td>{order.status}</td>
          <td>
            <.link patch={~p"/orders/#{order}/edit"}>Edit</.link>
            <.link
              phx-click={JS.push("delete", value: %{id: order.id}) |> hide("##{dom_id}")}
              data-confirm="Delete this order?"
            >
              Delete
            </.link>
          </td>
        </tr>
      </tbody>
    </table>

    <.modal :if={@form} id="order-modal" show on_cancel={JS.patch(~p"/orders")}>
      <.form for={@form} id="order-form" phx-change="validate" phx-submit="save">
        <.input field={@form[:number]} type="text" label="Number" />
        <.input field={@form[:customer_name]} type="text" label="Customer" />
        <.input field={@form[:status]} type="select" label="Status" options={@statuses} />
        <.button phx-disable-with="Saving…">Save order</.button>
      </.form>
    </.modal>
    """
  end
end
